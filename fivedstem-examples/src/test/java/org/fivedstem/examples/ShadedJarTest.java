package org.fivedstem.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

/**
 * The command line's jar, {@code target/fivedstem.jar}, as the package phase built it. Surefire runs this
 * test in an execution of its own after package (see the module's pom); the other tests run before the jar
 * exists.
 */
class ShadedJarTest {

    private static List<String> entries() throws IOException {
        Path jar = Path.of(System.getProperty("fivedstem.jar", "target/fivedstem.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is built before this test runs");
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void bundlesNoBenchmarkHarness() throws IOException {
        // JMH (GPL-2.0 with the Classpath Exception) and its option parser belong to fivedstem-benchmarks.
        List<String> jmh = entries().stream()
            .filter(e -> e.startsWith("org/openjdk/jmh/") || e.startsWith("joptsimple/") || e.contains("jmh_generated")
                || e.equals("META-INF/BenchmarkList"))
            .toList();
        assertEquals(List.of(), jmh);
    }
}
