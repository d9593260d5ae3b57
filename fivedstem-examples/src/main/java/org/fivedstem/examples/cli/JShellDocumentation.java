/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lets JShell show fivedstem's Javadoc — shift-tab after a name, or after a method's opening
 * parenthesis — beside the JDK's.
 *
 * <p>Why this class exists: the {@code jshell} tool (JDK 9 to at least 25) looks for documentation
 * only in the running JDK's {@code lib/src.zip} ({@code jdk.jshell}'s
 * {@code SourceCodeAnalysisImpl.findSources}); it searches neither the class path nor sources jars,
 * and it has no option to add a source path. The one way in is the list of source locations that the
 * JDK's own jshell tests set, the static field {@code availableSourcesOverride} of that class. Setting
 * it needs {@code jdk.jshell/jdk.jshell} opened to this code: {@code fivedstem.jar}'s manifest does that
 * ({@code Add-Opens}); on the module path, {@code --add-opens jdk.jshell/jdk.jshell=org.fivedstem.examples}
 * does. Where it cannot be set (a JDK that renamed the field, a module path without the flag), jshell
 * runs as usual, without fivedstem's documentation, and {@link #install()} says why.
 *
 * <p>The sources of the library's modules (api, core, io) are bundled in the examples jar under
 * {@value #SOURCES}, one directory per module as in the JDK's {@code src.zip}; the build copies them
 * there (the examples POM).
 */
final class JShellDocumentation {

    /** Where the library's sources are bundled, one directory per module below. */
    static final String SOURCES = "META-INF/fivedstem/sources/";

    /** The modules whose sources are bundled: what the JShell start-up script imports. */
    static final List<String> MODULES = List.of("org.fivedstem.api", "org.fivedstem.core", "org.fivedstem.io");

    private JShellDocumentation() {
    }

    /**
     * Points jshell at the JDK's sources (where it would look itself) and fivedstem's bundled ones.
     * Call before the first JShell is created in this JVM; it holds for every JShell created after.
     *
     * @return empty when the documentation is in place, else the reason it is not (one sentence)
     */
    static Optional<String> install() {
        List<Path> roots = new ArrayList<>();
        try {
            roots.addAll(jdkSourceRoots());
            List<Path> bundled = bundledSourceRoots();
            if (bundled.isEmpty()) {
                return Optional.of("fivedstem's sources are not bundled with " + codeLocation());
            }
            roots.addAll(bundled);
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot open the sources for jshell's documentation: " + e);
        }
        try {
            Field override = Class.forName("jdk.jshell.SourceCodeAnalysisImpl").getDeclaredField("availableSourcesOverride");
            override.setAccessible(true);
            override.set(null, List.copyOf(roots));
            return Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            // InaccessibleObjectException (not opened) is a RuntimeException; a missing field a
            // NoSuchFieldException: either way jshell still works, only without fivedstem's Javadoc.
            return Optional.of("this JVM does not let fivedstem show its Javadoc in jshell (" + e
                + "); on the module path add --add-opens jdk.jshell/jdk.jshell=org.fivedstem.examples");
        }
    }

    /**
     * One source root per bundled fivedstem module, inside the jar (or classes directory) this class
     * comes from. A jar's zip file system stays open for the life of the JVM, as jshell's own do.
     *
     * @return the roots, empty when the sources are not bundled
     * @throws IOException if the jar cannot be read
     */
    static List<Path> bundledSourceRoots() throws IOException {
        Path base = codeLocation();
        List<Path> roots = new ArrayList<>();
        if (base != null) {
            Path root = Files.isDirectory(base) ? base : openZip(base).getPath("/");
            for (String module : MODULES) {
                Path dir = root.resolve(SOURCES + module);
                if (Files.isDirectory(dir)) {
                    roots.add(dir);
                }
            }
        }
        return roots;
    }

    /**
     * The JDK's {@code src.zip} as jshell itself reads it: one root per module, or the zip for the old
     * flat layout; none when the JDK ships no sources (Debian's OpenJDK leaves them to a separate
     * {@code openjdk-NN-source} package).
     */
    private static List<Path> jdkSourceRoots() throws IOException {
        Path home = Path.of(System.getProperty("java.home"));
        Path srcZip = home.resolve("lib").resolve("src.zip");
        if (!Files.isReadable(srcZip) && home.getParent() != null) {
            srcZip = home.getParent().resolve("src.zip");
        }
        if (!Files.isReadable(srcZip)) {
            return List.of();
        }
        FileSystem zip = openZip(srcZip);
        Path root = zip.getPath("/");
        if (Files.exists(root.resolve("java/lang/Object.java"))) {
            return List.of(srcZip);
        }
        List<Path> modules = new ArrayList<>();
        if (Files.exists(root.resolve("java.base/java/lang/Object.java"))) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, Files::isDirectory)) {
                ds.forEach(modules::add);
            }
        }
        return modules;
    }

    private static FileSystem openZip(Path zip) throws IOException {
        return FileSystems.newFileSystem(zip, Map.of());
    }

    /** The jar (or classes directory) this class was loaded from, or null if the JVM does not say. */
    static Path codeLocation() {
        CodeSource cs = JShellDocumentation.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
