/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library works from a named module: a small consumer module ({@code requires org.fivedstem.io}) is
 * compiled and run on the module path with the library's modules and their dependencies, in a JVM of its
 * own. It simulates a recording, analyses it, saves and reads back the results file, and checks that the
 * library's internal packages are not exported and that the file records the library's version.
 */
class ModulePathTest {

    /** Class-path entries that are test tools, not the library's run-time dependencies. */
    private static final Pattern NOT_RUNTIME = Pattern.compile(
        "junit|opentest4j|apiguardian|jazzer|picocli|commons-math3-.*-tests|-tests\\.jar|test-classes|fivedstem-examples|slf4j-nop");

    private static final String MODULE_INFO = String.join("\n",
        "module org.fivedstem.consumer {",
        "    requires org.fivedstem.io;",
        "}");

    private static final String MAIN = String.join("\n",
        "package org.fivedstem.consumer;",
        "import java.nio.file.Path;",
        "import org.fivedstem.api.QRange;",
        "import org.fivedstem.core.correlation.CorrelationOptions;",
        "import org.fivedstem.core.engine.Analysis;",
        "import org.fivedstem.core.engine.AnalysisResult;",
        "import org.fivedstem.core.fitting.FitOptions;",
        "import org.fivedstem.core.simulation.SpeckleSimulation;",
        "import org.fivedstem.io.results.Provenance;",
        "import org.fivedstem.io.results.ResultsFile;",
        "import org.fivedstem.io.results.SavedAnalysis;",
        "public final class Main {",
        "    public static void main(String[] args) throws Exception {",
        "        var sim = SpeckleSimulation.builder().scan(3, 4).frames(16).patternSize(24, 24).pixelSizeInverseNm(0.5)",
        "            .seed(3).build();",
        "        AnalysisResult r = Analysis.of(sim.dataset())",
        "            .dynamics(QRange.of(3.0, 5.0), CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1))",
        "            .structure(QRange.of(2.5, 5.5)).run();",
        "        Path out = Path.of(args[0]);",
        "        ResultsFile.write(out, r, Provenance.of(\"simulated\"));",
        "        SavedAnalysis back = ResultsFile.read(out);",
        "        Module io = ResultsFile.class.getModule();",
        "        System.out.println(Main.class.getModule().getName() + \" uses \" + io.getName());",
        "        System.out.println(\"settings equal: \" + back.settings().equals(r.settings()));",
        "        System.out.println(\"maps equal: \" + back.maps().equals(r.maps()));",
        "        System.out.println(\"version recorded: \" + back.provenance().softwareVersion());",
        "        System.out.println(\"internal exported: \" + io.isExported(\"org.fivedstem.io.internal\")",
        "            + \", \" + Analysis.class.getModule().isExported(\"org.fivedstem.core.internal\"));",
        "    }",
        "}");

    @TempDir
    Path dir;

    /** @return the library's modules and their run-time dependencies, from the test class path */
    private static List<String> libraryModulePath() {
        List<String> modulePath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty() && !NOT_RUNTIME.matcher(entry).find()) {
                modulePath.add(entry);
            }
        }
        return modulePath;
    }

    /**
     * The command line runs from the module path too: building its command tree makes picocli read every
     * command's options reflectively, which module org.fivedstem.examples opens to it.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theCommandLineRunsAsANamedModule() throws IOException, InterruptedException {
        List<String> modulePath = libraryModulePath();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("fivedstem-examples" + File.separator + "target" + File.separator + "classes")
                || Path.of(entry).getFileName().toString().startsWith("picocli-")) {
                modulePath.add(entry);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--module-path", String.join(File.pathSeparator, modulePath),
            "-m", "org.fivedstem.examples/org.fivedstem.examples.cli.FivedstemCommand", "analyze", "--help")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("--fit-lags"), out);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anAnalysisRunsFromANamedModule() throws IOException, InterruptedException {
        List<String> modulePath = libraryModulePath();
        assertTrue(modulePath.stream().anyMatch(e -> e.contains("fivedstem-io")), modulePath.toString());
        Path src = dir.resolve("src");
        Path pkg = Files.createDirectories(src.resolve("org/fivedstem/consumer"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(pkg.resolve("Main.java"), MAIN);
        Path classes = dir.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "-d", classes.toString(), "--module-path",
            String.join(File.pathSeparator, modulePath), src.resolve("module-info.java").toString(),
            pkg.resolve("Main.java").toString());
        assertEquals(0, compiled, "the consumer module compiles against the library's modules");

        Path results = dir.resolve("maps.h5");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        modulePath.add(0, classes.toString());
        Process p = new ProcessBuilder(java, "--module-path", String.join(File.pathSeparator, modulePath),
            "-m", "org.fivedstem.consumer/org.fivedstem.consumer.Main", results.toString())
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("org.fivedstem.consumer uses org.fivedstem.io"), out);
        assertTrue(out.contains("settings equal: true"), out);
        assertTrue(out.contains("maps equal: true"), out);
        // packages of named modules carry no manifest attributes; the version comes from the module descriptor
        assertFalse(out.contains("version recorded: development"), out);
        assertTrue(out.contains("internal exported: false, false"), out);
        assertTrue(Files.size(results) > 0);
    }
}
