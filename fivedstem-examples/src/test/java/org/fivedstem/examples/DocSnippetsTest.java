/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.fivedstem.examples.MarkdownDocs.Block;
import org.fivedstem.examples.MarkdownDocs.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * Keeps every {@code ```java} block (and {@code ```jshell} session: lines after {@code jshell> })
 * of {@code README.md} and {@code docs/*.md} compiling and running against the current API.
 *
 * <p>Each block gets a fresh JShell on the project's class path (as {@link JShellScriptsTest}),
 * with the {@code jshell} tool's default imports and those of {@code fivedstem-examples/jshell/startup.jsh}
 * — what a JShell explorer has —
 * then its {@code snippet-setup} code, then the block itself, as Java source (a statement may go on
 * over several lines). A {@code snippet: compile-only} block is compiled as the body of a method that
 * is never called. See {@link MarkdownDocs} for the directives and {@code docs/testing.md}.
 */
class DocSnippetsTest {

    /**
     * The imports the {@code jshell} tool runs before any script (its DEFAULT start-up, as
     * {@code /list -start} shows on JDK 17): a reader's JShell has them, the JShell API does not.
     */
    static final String TOOL_DEFAULT_IMPORTS = String.join("\n",
        "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;", "import java.util.*;",
        "import java.util.concurrent.*;", "import java.util.function.*;", "import java.util.prefs.*;",
        "import java.util.regex.*;", "import java.util.stream.*;") + "\n";

    /** @return the Java and JShell blocks of README.md and docs/*.md */
    static Stream<Block> javaBlocks() {
        return MarkdownDocs.blocks("java", "jshell").stream();
    }

    /** The directives parse, sit only on Java blocks, and every Java block is run or compiled; prints the counts. */
    @Test
    void everyJavaBlockIsRunOrCompiled() {
        List<Block> all = MarkdownDocs.allBlocks();
        for (Block b : all) {
            if (!b.language().equals("java") && !b.language().equals("jshell")) {
                assertTrue(b.setup().isEmpty() && b.mode() == Mode.RUN,
                    b.where() + ": snippet directives only apply to ```java and ```jshell blocks, this one is ```" + b.language());
            }
            if (b.language().equals("jshell")) {
                assertTrue(b.code().stream().anyMatch(l -> l.startsWith(MarkdownDocs.PROMPT)), b.where() + ": a ```jshell block without input");
            }
        }
        List<Block> java = javaBlocks().collect(Collectors.toList());
        assertTrue(java.size() >= 5, "expected the Java blocks of README.md and docs/*.md, found " + java);
        Map<String, long[]> perFile = new TreeMap<>();
        for (Block b : java) {
            long[] c = perFile.computeIfAbsent(b.file(), f -> new long[3]);
            c[b.mode() == Mode.RUN ? 0 : 1]++;
            c[2] += b.setup().isEmpty() ? 0 : 1;
        }
        long run = java.stream().filter(b -> b.mode() == Mode.RUN).count();
        long compileOnly = java.stream().filter(b -> b.mode() == Mode.COMPILE_ONLY).count();
        assertEquals(java.size(), run + compileOnly);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
            "Documentation snippets: %d ```java and ```jshell blocks in %d files: %d run, %d compile-only, %d with setup%n",
            java.size(), perFile.size(), run, compileOnly, java.stream().filter(b -> !b.setup().isEmpty()).count()));
        perFile.forEach((f, c) -> report.append(String.format(Locale.ROOT, "  %-32s run %d, compile-only %d, with setup %d%n",
            f, c[0], c[1], c[2])));
        System.out.print(report);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("javaBlocks")
    void javaBlockCompilesAndRuns(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8); JShell js = JShellScriptsTest.newShell(out)) {
            System.setOut(out);
            evaluate(js, TOOL_DEFAULT_IMPORTS, "jshell DEFAULT start-up", 1, "imports");
            Path startup = JShellScriptsTest.scriptDir().resolve("startup.jsh");
            assertTrue(JShellScriptsTest.run(js, startup) > 5, "imports of " + startup);
            if (!block.setup().isEmpty()) {
                evaluate(js, block.setup(), block.file(), block.setupLine(), "snippet-setup of " + block.where());
            }
            if (block.mode() == Mode.RUN) {
                evaluate(js, block.text(), block.file(), block.firstCodeLine(), "block " + block.where());
            } else {
                // Declared, never called: the compiler checks every name and type, nothing is run.
                String method = "void compileOnly_" + block.fenceLine() + "() throws Throwable {\n" + block.text() + "}\n";
                evaluate(js, method, block.file(), block.fenceLine(), "block " + block.where() + " (compile only)");
            }
        } finally {
            System.setOut(old);
        }
        old.print(bytes.toString(StandardCharsets.UTF_8));
    }

    /** The checker can fail, and says where: a compile error, an exception, an undefined name in a compile-only block. */
    @Test
    void brokenSnippetsAreReportedWithTheirFileLine() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (JShell js = JShellScriptsTest.newShell(quiet)) {
            AssertionFailedError compile = assertThrows(AssertionFailedError.class,
                () -> evaluate(js, "int a = 1;\n// a comment\nint b = a +\n    undefinedName;\n", "x.md", 10, "block"));
            assertTrue(compile.getMessage().startsWith("x.md:12 (block): `int b = a + …` does not compile: x.md:13: cannot find symbol"),
                compile.getMessage());
            AssertionFailedError thrown = assertThrows(AssertionFailedError.class,
                () -> evaluate(js, "\nInteger.parseInt(\"x\");\n", "x.md", 20, "block"));
            assertTrue(thrown.getMessage().startsWith("x.md:21 (block): `Integer.parseInt(\"x\");` threw java.lang.NumberFormatException"),
                thrown.getMessage());
            AssertionFailedError undefined = assertThrows(AssertionFailedError.class,
                () -> evaluate(js, "void compileOnly_30() throws Throwable {\nSystem.out.println(dataset);\n}\n", "x.md", 30, "block"));
            assertTrue(undefined.getMessage().contains("dataset"), undefined.getMessage());
            assertEquals(2, evaluate(js, "int c = 3;\nvoid ok() { }\n", "x.md", 40, "block"));
        }
    }

    /**
     * Evaluates Java source snippet by snippet, failing at the first one that does not compile, is
     * rejected, refers to something undefined or throws.
     *
     * @param firstLine the file's line number of the source's first line, for messages
     * @return the number of snippets evaluated
     */
    static int evaluate(JShell js, String source, String file, int firstLine, String what) {
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        String rest = source;
        int count = 0;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            int consumed = rest.length() - ci.remaining().length();
            String chunk = rest.substring(0, consumed);
            int lead = codeStart(chunk);
            int line = firstLine + (int) source.substring(0, source.length() - rest.length() + lead).chars().filter(c -> c == '\n').count();
            String where = file + ":" + line + " (" + what + ")";
            if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                rest = ci.remaining();
                if (consumed == 0) {
                    break;
                }
                continue;
            }
            if (!ci.completeness().isComplete()) {
                fail(where + ": incomplete Java (" + ci.completeness() + "): " + rest.strip());
            }
            for (SnippetEvent e : js.eval(ci.source())) {
                Snippet sn = e.snippet();
                if (sn == null || e.causeSnippet() != null) {
                    continue;   // a consequence for an earlier snippet, reported with its own event
                }
                String shown = where + ": `" + firstLines(sn.source()) + "`";
                List<Diag> errors = js.diagnostics(sn).filter(Diag::isError).collect(Collectors.toList());
                if (!errors.isEmpty()) {
                    // Each error with the file line it points at: the snippet's line plus the lines before the error.
                    fail(shown + " does not compile: " + errors.stream()
                        .map(d -> file + ":" + (line + lineOffset(sn.source(), d.getStartPosition())) + ": "
                            + d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("; ")));
                }
                if (e.status() == Snippet.Status.REJECTED) {
                    fail(shown + " was rejected");
                }
                if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                    fail(shown + " refers to something undefined: " + js.unresolvedDependencies((DeclarationSnippet) sn).collect(Collectors.toList()));
                }
                if (e.exception() != null) {
                    String type = e.exception() instanceof EvalException ee ? ee.getExceptionClassName() : e.exception().getClass().getName();
                    fail(shown + " threw " + type + ": " + e.exception().getMessage(), e.exception());
                }
            }
            count++;
            rest = ci.remaining();
        }
        return count;
    }

    /** @return the index of the first character of code in a snippet's source: after blanks and comments */
    static int codeStart(String source) {
        int i = 0;
        while (i < source.length()) {
            if (Character.isWhitespace(source.charAt(i))) {
                i++;
            } else if (source.startsWith("//", i)) {
                int nl = source.indexOf('\n', i);
                i = nl < 0 ? source.length() : nl + 1;
            } else if (source.startsWith("/*", i)) {
                int close = source.indexOf("*/", i + 2);
                i = close < 0 ? source.length() : close + 2;
            } else {
                break;
            }
        }
        return i;
    }

    /** @return the lines between the first code of a snippet's source and a position in it */
    private static int lineOffset(String source, long position) {
        int start = codeStart(source);
        int end = (int) Math.max(start, Math.min(position, source.length()));
        return (int) source.substring(start, end).chars().filter(c -> c == '\n').count();
    }

    private static String firstLines(String source) {
        String s = source.substring(codeStart(source)).strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " …";
    }
}
