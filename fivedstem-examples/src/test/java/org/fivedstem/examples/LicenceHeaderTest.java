/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every Java source of the project starts with the Apache-2.0 licence header (LICENSE at the repository root). */
class LicenceHeaderTest {

    static final String HEADER = "/*\n * Copyright 2026 The fivedstem authors\n * SPDX-License-Identifier: Apache-2.0\n */\n";

    @Test
    void everyJavaSourceCarriesTheHeader() throws IOException {
        Path root = Path.of("..");
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(p -> p.toString().endsWith(".java"))
                .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                .collect(Collectors.toList());
        }
        assertTrue(sources.size() > 300, "found " + sources.size() + " sources under " + root.toAbsolutePath());
        List<String> without = sources.stream().filter(p -> !startsWithHeader(p)).map(Path::toString).sorted()
            .collect(Collectors.toList());
        assertEquals(List.of(), without, "sources without the licence header");
    }

    private static boolean startsWithHeader(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8).startsWith(HEADER);
        } catch (IOException e) {
            throw new IllegalStateException(p + ": " + e.getMessage(), e);
        }
    }
}
