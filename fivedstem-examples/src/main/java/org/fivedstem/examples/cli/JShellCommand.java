/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fivedstem jshell [--walkthrough] [-- JSHELL-ARGS]}: the JDK's {@code jshell} tool, started
 * in this JVM with fivedstem on its class path, the imports of {@code jshell/startup.jsh} after
 * jshell's own, and fivedstem's Javadoc where shift-tab finds it ({@link JShellDocumentation}).
 *
 * <p>A plain {@code jshell --class-path fivedstem.jar} works too, but shows no documentation for
 * fivedstem's classes: jshell reads Javadoc only from the JDK's own sources.
 */
@Command(name = "jshell",
    header = "JShell with fivedstem loaded, its imports, and its Javadoc on shift-tab.",
    mixinStandardHelpOptions = true,
    description = {
        "Starts the JDK's jshell with fivedstem on the class path and its packages imported (after jshell's default "
            + "imports). Shift-tab after a name shows its Javadoc, fivedstem's as well as the JDK's (the JDK's need the "
            + "JDK's src.zip; on Debian, the openjdk-NN-source package). --walkthrough first runs the guided tour: "
            + "simulate, analyse, fit one position, maps and figures, Spearman's rho; its variables stay defined. "
            + "Arguments after -- go to jshell itself: for example -- -R-Xmx8g for the heap of the JVM that runs the "
            + "snippets, or a script to load.",
        ""},
    footer = {"", "Exit codes: jshell's own (0 unless /exit says otherwise), 1 if jshell cannot start, 2 usage error."})
public final class JShellCommand implements Callable<Integer> {

    /** Where the start-up and walk-through scripts are bundled (copied from {@code fivedstem-examples/jshell/}). */
    static final String SCRIPTS = "/META-INF/fivedstem/jshell/";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--walkthrough", description = "run the guided tour (walkthrough.jsh) before the prompt")
    private boolean walkthrough;

    @Parameters(paramLabel = "JSHELL-ARG", arity = "0..*", description = "after --: options and scripts for jshell")
    private List<String> jshellArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> noDocs = JShellDocumentation.install();
        noDocs.ifPresent(why -> {
            err.println("fivedstem jshell: without fivedstem's documentation: " + why);
            err.flush();
        });
        Path scripts = Files.createTempDirectory("fivedstem-jshell-");
        try {
            List<String> args = new ArrayList<>(classPathArguments());
            args.addAll(List.of("--startup", "DEFAULT", "--startup", extract(scripts, "startup.jsh").toString()));
            if (walkthrough) {
                args.add(extract(scripts, "walkthrough.jsh").toString());
            }
            args.addAll(jshellArgs);
            return JavaShellToolBuilder.builder().start(args.toArray(String[]::new));
        } finally {
            deleteQuietly(scripts);
        }
    }

    /**
     * The class path (or module path) of this JVM, for jshell's compiler and the JVM that runs the
     * snippets: {@code fivedstem.jar} when started with {@code java -jar}.
     */
    static List<String> classPathArguments() {
        String modulePath = System.getProperty("jdk.module.path", "");
        if (!modulePath.isEmpty()) {
            return List.of("--module-path", modulePath, "--add-modules", "org.fivedstem.io");
        }
        return List.of("--class-path", System.getProperty("java.class.path", ""));
    }

    private static Path extract(Path dir, String name) throws IOException {
        try (InputStream in = JShellCommand.class.getResourceAsStream(SCRIPTS + name)) {
            if (in == null) {
                throw new IOException("the jshell script " + name + " is not bundled with " + JShellDocumentation.codeLocation());
            }
            Path file = dir.resolve(name);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Files.deleteIfExists(dir);
        } catch (IOException | UncheckedIOException e) {
            // A temporary folder of two small scripts left behind is not worth failing the session over.
        }
    }
}
