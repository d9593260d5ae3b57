/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import org.junit.jupiter.api.Test;

/**
 * What shift-tab shows in {@code fivedstem jshell}: JShell's own documentation lookup, through the
 * JShell API, after {@link JShellDocumentation#install()} (this module's surefire run opens
 * {@code jdk.jshell/jdk.jshell} as {@code fivedstem.jar}'s manifest does).
 */
class JShellDocumentationTest {

    @Test
    void shiftTabShowsFivedstemsJavadocForMethodsAndTypes() {
        Optional<String> why = JShellDocumentation.install();
        assertEquals(Optional.empty(), why);
        try (JShell js = JShell.builder().executionEngine("local").build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    js.addToClasspath(entry);
                }
            }
            js.eval("import org.fivedstem.core.statistics.*;");
            js.eval("import org.fivedstem.core.fitting.*;");

            // After "Spearman.test(", as when the user presses shift-tab there: both overloads, with their @param text.
            String call = "Spearman.test(";
            List<Documentation> docs = js.sourceCodeAnalysis().documentation(call, call.length(), true);
            assertEquals(2, docs.size(), docs.stream().map(Documentation::signature).collect(Collectors.joining("; ")));
            for (Documentation d : docs) {
                assertTrue(d.javadoc() != null && d.javadoc().contains("first map (e.g. τ)"), d.signature() + ": " + d.javadoc());
            }

            String type = "KwwFitter";
            List<Documentation> typeDocs = js.sourceCodeAnalysis().documentation(type, type.length(), true);
            assertEquals(1, typeDocs.size());
            assertTrue(typeDocs.get(0).javadoc() != null && typeDocs.get(0).javadoc().contains("Kohlrausch"), typeDocs.get(0).javadoc());
        }
    }

    @Test
    void theLibrarysSourcesAreBundledOneFolderPerModule() throws IOException {
        List<Path> roots = JShellDocumentation.bundledSourceRoots();
        assertEquals(JShellDocumentation.MODULES.size(), roots.size(), roots.toString());
        for (int i = 0; i < roots.size(); i++) {
            assertTrue(roots.get(i).endsWith(JShellDocumentation.MODULES.get(i)), roots.get(i).toString());
            assertTrue(Files.isRegularFile(roots.get(i).resolve("module-info.java")), roots.get(i).toString());
        }
    }

    @Test
    void jshellIsGivenThisJvmsClassPath() {
        List<String> args = JShellCommand.classPathArguments();
        assertEquals(List.of("--class-path", System.getProperty("java.class.path")), args);
    }
}
