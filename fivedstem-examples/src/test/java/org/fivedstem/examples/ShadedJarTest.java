/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line's jar, {@code target/fivedstem.jar}, as the package phase built it: what it bundles,
 * what it must not, and that every bundled library's licence and notice texts are in it. Surefire runs this
 * test in an execution of its own after package (see the module's pom); the other tests run before the jar
 * exists. The build writes the list of bundled libraries ({@code dependency:list}) beside the jar.
 */
class ShadedJarTest {

    /** A licence or notice file's name (not a class such as {@code ThirdMoment.class}). */
    private static final Pattern LEGAL_FILE = Pattern.compile("(?i)(^|/)(licen[cs]e|notice|copying|copyright|third-party)[^/]*$");
    /** A line of {@code dependency:list} with absolute file names: group:artifact:jar:version:scope:file. */
    private static final Pattern LISTED = Pattern.compile("^\\s*([^:\\s]+):([^:\\s]+):jar:([^:\\s]+):(?:compile|runtime):(.+?\\.jar)\\b.*$");
    private static final Pattern INDEXED = Pattern.compile("^(\\S+:\\S+:\\S+)\\s.*$");
    private static final Pattern FOLDER = Pattern.compile("META-INF/licenses/[^/\\s]+/");
    private static final String INDEX = "META-INF/licenses/THIRD-PARTY.txt";

    private static Path jarPath;
    private static List<String> entries;

    @BeforeAll
    static void open() throws IOException {
        // Set by the shaded-jar execution only: in the test phase (e.g. with -Dtest=ShadedJarTest) the jar is
        // missing or left from an earlier build.
        String jar = System.getProperty("fivedstem.jar");
        assumeTrue(jar != null, "runs in the shaded-jar execution, after package");
        jarPath = Path.of(jar);
        assertTrue(Files.isRegularFile(jarPath), jarPath + " is built before this test runs");
        try (JarFile f = new JarFile(jarPath.toFile())) {
            entries = f.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void bundlesNoBenchmarkHarness() {
        // JMH (GPL-2.0 with the Classpath Exception) and its option parser belong to fivedstem-benchmarks.
        List<String> jmh = entries.stream()
            .filter(e -> e.startsWith("org/openjdk/jmh/") || e.startsWith("joptsimple/") || e.contains("jmh_generated")
                || e.equals("META-INF/BenchmarkList"))
            .toList();
        assertEquals(List.of(), jmh);
    }

    /**
     * {@code fivedstem jshell --walkthrough} as a user starts it, with a piped stdin: the manifest's
     * {@code Add-Opens} lets it give jshell fivedstem's sources (no warning on stderr), the bundled
     * scripts load (the walk-through's variables exist), and jshell's own exit code comes back.
     */
    @Test
    void jshellCommandLoadsTheWalkthroughWithTheDocumentation() throws IOException, InterruptedException {
        Path javaLauncher = Path.of(System.getProperty("java.home"), "bin", "java");
        Path errFile = Files.createTempFile("fivedstem-jshell", ".err");
        try {
            Process p = new ProcessBuilder(javaLauncher.toString(), "-jar", jarPath.toString(), "jshell", "--walkthrough")
                .redirectError(errFile.toFile()).start();
            try (var in = p.getOutputStream()) {
                in.write("System.out.println(\"answer \" + (fit.tauSeconds() > 0) + \" \" + QRange.of(4.2, 4.6))\n/exit 3\n"
                    .getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "jshell exits after /exit");
            String err = Files.readString(errFile);
            assertEquals(3, p.exitValue(), out + err);
            assertTrue(out.contains("tau at (7, 7): fitted"), out);
            assertTrue(out.contains("answer true 4.200–4.600 nm⁻¹"), out);
            assertFalse(err.contains("without fivedstem's documentation"), err);
        } finally {
            Files.deleteIfExists(errFile);
        }
    }

    @Test
    void bundlesTheLibrarysSourcesForJShell() {
        for (String module : List.of("org.fivedstem.api", "org.fivedstem.core", "org.fivedstem.io")) {
            assertTrue(entries.contains("META-INF/fivedstem/sources/" + module + "/module-info.java"), module);
        }
        assertTrue(entries.contains("META-INF/fivedstem/jshell/startup.jsh"));
    }

    @Test
    void carriesTheProjectsOwnLicenceAndNotice() throws IOException {
        Path root = Path.of(System.getProperty("fivedstem.root"));
        assertArrayEquals(Files.readAllBytes(root.resolve("LICENSE")), read("META-INF/LICENSE"), "META-INF/LICENSE");
        assertArrayEquals(Files.readAllBytes(root.resolve("NOTICE")), read("META-INF/NOTICE"), "META-INF/NOTICE");
    }

    @Test
    void everyLicenceOrNoticeIsOursOrInALibrarysFolder() {
        // Nothing merged, appended or left where another library's file of the same name would replace it.
        List<String> stray = entries.stream()
            .filter(e -> !e.endsWith("/") && !e.endsWith(".class") && LEGAL_FILE.matcher(e).find())
            .filter(e -> !e.equals("META-INF/LICENSE") && !e.equals("META-INF/NOTICE") && !e.startsWith("META-INF/licenses/"))
            .toList();
        assertEquals(List.of(), stray);
    }

    @Test
    void everyLicenceFileABundledLibraryShipsIsKeptUnchanged() throws IOException {
        Map<String, Path> bundled = bundledJars();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Path> lib : bundled.entrySet()) {
            String artifactId = lib.getKey().split(":")[1];
            try (JarFile dep = new JarFile(lib.getValue().toFile())) {
                for (ZipEntry e : dep.stream().toList()) {
                    String name = e.getName();
                    boolean legal = !e.isDirectory() && LEGAL_FILE.matcher(name).find() && !name.endsWith(".class")
                        && (name.indexOf('/') < 0 || (name.startsWith("META-INF/") && name.indexOf('/', 9) < 0));
                    if (!legal) {
                        continue;
                    }
                    String kept = "META-INF/licenses/" + artifactId + "/" + name.substring(name.lastIndexOf('/') + 1);
                    byte[] original;
                    try (InputStream in = dep.getInputStream(e)) {
                        original = in.readAllBytes();
                    }
                    if (!entries.contains(kept)) {
                        problems.add(lib.getKey() + ": " + name + " is not in the jar as " + kept);
                    } else if (!Arrays.equals(original, read(kept))) {
                        problems.add(lib.getKey() + ": " + kept + " differs from its " + name);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theIndexListsExactlyTheBundledLibrariesAndItsFoldersExist() throws IOException {
        String index = new String(read(INDEX), StandardCharsets.UTF_8);
        Set<String> indexed = new TreeSet<>();
        Set<String> folders = new TreeSet<>();
        for (String line : index.split("\n")) {
            Matcher m = INDEXED.matcher(line);
            if (m.matches()) {
                indexed.add(m.group(1));
                Matcher f = FOLDER.matcher(line);
                assertTrue(f.find() || line.contains("META-INF/LICENSE"), "no licence text named for " + line);
                f.reset();
                while (f.find()) {
                    folders.add(f.group());
                }
            }
        }
        // A library added, removed or upgraded means reviewing its licence and this list.
        assertEquals(bundledJars().keySet(), indexed, INDEX + " against what the build bundled");
        for (String folder : folders) {
            assertTrue(entries.stream().anyMatch(e -> e.startsWith(folder) && !e.endsWith("/")), folder + " holds a file");
        }
        Set<String> present = new TreeSet<>();
        for (String e : entries) {
            Matcher f = FOLDER.matcher(e);
            if (f.lookingAt()) {
                present.add(f.group());
            }
        }
        assertEquals(folders, present, "folders under META-INF/licenses/ and those " + INDEX + " names");
    }

    /** @return group:artifact:version of each bundled library and its jar, from the build's dependency list */
    private static Map<String, Path> bundledJars() throws IOException {
        Path list = Path.of(System.getProperty("fivedstem.bundled"));
        Map<String, Path> jars = new TreeMap<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            Matcher m = LISTED.matcher(line);
            if (m.matches()) {
                jars.put(m.group(1) + ":" + m.group(2) + ":" + m.group(3), Path.of(m.group(4)));
            }
        }
        assertFalse(jars.isEmpty(), "no libraries listed in " + list);
        return jars;
    }

    private static byte[] read(String entry) throws IOException {
        try (JarFile f = new JarFile(jarPath.toFile())) {
            ZipEntry e = f.getEntry(entry);
            assertNotNull(e, entry + " is in " + jarPath);
            try (InputStream in = f.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }
}
