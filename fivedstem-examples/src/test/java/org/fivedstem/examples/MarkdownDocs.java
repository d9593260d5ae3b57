/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The project's user documentation — {@code README.md} and {@code docs/*.md} at the repository
 * root — as fenced code blocks with the snippet directives written right before them.
 *
 * <p>A directive is an HTML comment (invisible when the Markdown is rendered) between the previous
 * text and a fenced block, with only blank lines or other comments in between:
 * <ul>
 * <li>{@code <!-- snippet-setup: CODE -->}: Java code run in the block's JShell before the block,
 * e.g. to define the {@code dataset} a fragment refers to (may span lines);</li>
 * <li>{@code <!-- snippet: compile-only REASON -->}: the block must compile (after any setup) but
 * is not run, e.g. because it opens the reader's own file.</li>
 * </ul>
 * Any other comment starting with {@code snippet} is an error, as is a directive not followed by a
 * fenced block, so a typo cannot silently turn a check off.
 */
final class MarkdownDocs {

    /** How a {@code java} block is checked. */
    enum Mode {
        /** Evaluated snippet by snippet; fails on a compile error or an exception. */
        RUN,
        /** Compiled as the body of a method that is never called. */
        COMPILE_ONLY
    }

    /**
     * A fenced code block.
     *
     * @param file the Markdown file, relative to the repository root ({@code docs/engine.md})
     * @param fenceLine the 1-based line of the opening fence
     * @param language the info string after the fence, lower case ({@code ""} when absent)
     * @param code the lines between the fences
     * @param setup the setup code of {@code snippet-setup} directives, in order ({@code ""} when none)
     * @param setupLine the line where the first setup directive starts, or 0
     * @param mode how a {@code java} block is checked
     */
    record Block(String file, int fenceLine, String language, List<String> code, String setup, int setupLine, Mode mode) {

        /**
         * @param newMode how to check the block
         * @return a copy checked that way
         */
        Block withMode(Mode newMode) {
            return new Block(file, fenceLine, language, code, setup, setupLine, newMode);
        }

        /** @return the 1-based line of the block's first code line */
        int firstCodeLine() {
            return fenceLine + 1;
        }

        /** @return {@code file:line} of the opening fence, how editors and the test names refer to it */
        String where() {
            return file + ":" + fenceLine;
        }

        /**
         * @return the block's code as one Java text; of a {@code jshell} block, the input lines
         *     (those after the {@code jshell> } prompt, each a complete snippet, given its
         *     {@code ;} when it has none), other lines being the tool's output
         */
        String text() {
            if (!language.equals("jshell")) {
                return String.join("\n", code) + "\n";
            }
            StringBuilder b = new StringBuilder();
            for (String line : code) {
                if (line.startsWith(PROMPT)) {
                    String in = line.substring(PROMPT.length()).strip();
                    b.append(in).append(in.endsWith(";") || in.endsWith("}") ? "" : ";");
                }
                b.append('\n');   // one line per Markdown line, for the line numbers
            }
            return b.toString();
        }

        @Override
        public String toString() {
            return where() + (mode == Mode.COMPILE_ONLY ? " (compile only)" : "") + (setup.isEmpty() ? "" : " (with setup)");
        }
    }

    /** The prompt of the {@code jshell} tool, which starts each input line of a {@code jshell} block. */
    static final String PROMPT = "jshell> ";

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```+)\\s*([^`\\s]*)?.*$");
    private static final Pattern COMPILE_ONLY = Pattern.compile("snippet:\\s*compile-only\\b.*", Pattern.DOTALL);
    private static final Pattern SETUP = Pattern.compile("snippet-setup:(.*)", Pattern.DOTALL);

    private MarkdownDocs() {
    }

    /**
     * Finds the repository root from the module directory (Maven's {@code basedir}, else the
     * working directory): the nearest ancestor holding {@code README.md}, {@code docs/} and the
     * parent {@code pom.xml} of fivedstem.
     *
     * @return the repository root
     */
    static Path repositoryRoot() {
        Path start = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(pom)) {
                try {
                    if (Files.readString(pom, StandardCharsets.UTF_8).contains("<artifactId>fivedstem-parent</artifactId>")) {
                        return p;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no fivedstem repository root (README.md, docs/, parent pom.xml) above " + start);
    }

    /**
     * @return {@code README.md} and {@code docs/*.md}, relative to the repository root, sorted
     */
    static List<String> documentationFiles() {
        Path root = repositoryRoot();
        List<String> files = new ArrayList<>();
        files.add("README.md");
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".md"))
                .map(p -> "docs/" + p.getFileName())
                .sorted()
                .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * @return every fenced block of every documentation file, in file and line order
     * @throws IllegalStateException on a malformed or misplaced directive or an unclosed fence
     */
    static List<Block> allBlocks() {
        Path root = repositoryRoot();
        List<Block> all = new ArrayList<>();
        for (String f : documentationFiles()) {
            try {
                all.addAll(parse(f, Files.readAllLines(root.resolve(f), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    /** @return the blocks in the given languages (lower case; {@code ""} for none) */
    static List<Block> blocks(String... languages) {
        List<String> langs = List.of(languages);
        return allBlocks().stream().filter(b -> langs.contains(b.language())).collect(Collectors.toList());
    }

    /**
     * Splits one Markdown file into fenced blocks and attaches the directives before each.
     *
     * @param file the file's name relative to the root, for messages
     * @param lines its lines
     * @return its blocks
     */
    static List<Block> parse(String file, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        StringBuilder setup = new StringBuilder();
        int setupLine = 0;
        Mode mode = Mode.RUN;
        int pendingSince = 0;   // line of the first directive waiting for its block, 0 when none
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                String ticks = fence.group(1);
                String language = Optional.ofNullable(fence.group(2)).orElse("").toLowerCase(Locale.ROOT);
                int open = i;
                List<String> code = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).strip().equals(ticks); i++) {
                    code.add(lines.get(i));
                }
                if (i >= lines.size()) {
                    throw new IllegalStateException(file + ":" + (open + 1) + ": code block is never closed");
                }
                blocks.add(new Block(file, open + 1, language, List.copyOf(code), setup.toString().strip(), setupLine, mode));
                setup.setLength(0);
                setupLine = 0;
                mode = Mode.RUN;
                pendingSince = 0;
            } else if (trimmed.startsWith("<!--")) {
                int start = i;
                StringBuilder comment = new StringBuilder(trimmed);
                while (!comment.toString().endsWith("-->") && i + 1 < lines.size()) {
                    comment.append('\n').append(lines.get(++i).strip());
                }
                String body = comment.toString();
                if (!body.endsWith("-->")) {
                    throw new IllegalStateException(file + ":" + (start + 1) + ": HTML comment is never closed");
                }
                body = body.substring(4, body.length() - 3).strip();
                if (!body.startsWith("snippet")) {
                    continue;   // an ordinary comment
                }
                Matcher m = SETUP.matcher(body);
                if (m.matches()) {
                    setup.append(m.group(1).strip()).append('\n');
                    setupLine = setupLine == 0 ? start + 1 : setupLine;
                } else if (COMPILE_ONLY.matcher(body).matches()) {
                    mode = Mode.COMPILE_ONLY;
                } else {
                    throw new IllegalStateException(file + ":" + (start + 1) + ": unknown snippet directive <!-- " + body
                        + " -->; known: <!-- snippet-setup: CODE -->, <!-- snippet: compile-only REASON -->");
                }
                pendingSince = pendingSince == 0 ? start + 1 : pendingSince;
            } else if (!trimmed.isEmpty() && pendingSince != 0) {
                throw new IllegalStateException(file + ":" + pendingSince
                    + ": snippet directive is not followed by a code block (text comes first at line " + (i + 1) + ")");
            }
        }
        if (pendingSince != 0) {
            throw new IllegalStateException(file + ":" + pendingSince + ": snippet directive at the end of the file");
        }
        return blocks;
    }
}
