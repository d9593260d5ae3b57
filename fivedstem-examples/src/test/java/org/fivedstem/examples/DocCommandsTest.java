/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.fivedstem.examples.MarkdownDocs.Block;
import org.fivedstem.examples.cli.FivedstemCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Keeps the command lines of {@code README.md} and {@code docs/*.md} in step with the picocli model
 * of {@code fivedstem}, without running them.
 *
 * <ul>
 * <li>Every {@code ./fivedstem ...} line in a {@code bash}, {@code sh}, {@code shell},
 * {@code console} or unlabelled code block is parsed by {@link CommandLine#parseArgs} — the
 * sub-command, every option, option values and arity, required options — exactly as the tool
 * parses it before running; nothing is executed.</li>
 * <li>Every inline code span starting {@code fivedstem SUB} or {@code ./fivedstem SUB} (e.g. the
 * README's command table, whose {@code NY,NX} placeholders would not parse), and every usage
 * synopsis in a block ({@code [--figures DIR]}, continued on indented lines), must name an existing
 * sub-command, and each {@code --option} in it must be one of that sub-command's options.</li>
 * <li>Every {@code .jsh} script a {@code jshell ...} line in a code block loads exists.</li>
 * </ul>
 */
class DocCommandsTest {

    /**
     * A command line of the documentation, with where it is.
     *
     * @param namesOnly whether it is a synopsis or inline span whose sub-command and option names are
     *     checked, rather than a command line that must parse
     */
    record DocCommand(String where, String line, List<String> args, boolean namesOnly) {
        @Override
        public String toString() {
            return where + ": " + line;
        }
    }

    private static final List<String> SHELL_LANGUAGES = List.of("", "bash", "sh", "shell", "console");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern ENV_ASSIGNMENT = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+");

    static Stream<DocCommand> blockCommands() {
        List<DocCommand> all = new ArrayList<>();
        for (Block b : MarkdownDocs.blocks(SHELL_LANGUAGES.toArray(String[]::new))) {
            List<String> code = b.code();
            for (int i = 0; i < code.size(); i++) {
                int first = i;
                StringBuilder line = new StringBuilder(code.get(i));
                while (line.toString().endsWith("\\") && i + 1 < code.size()) {   // shell line continuation
                    line.setLength(line.length() - 1);
                    line.append(' ').append(code.get(++i).strip());
                }
                boolean synopsis = line.toString().contains("[-");
                if (synopsis) {
                    // A usage synopsis ("[--figures DIR]", "a|b"), continued on indented lines: names only.
                    while (i + 1 < code.size() && code.get(i + 1).startsWith(" ") && !code.get(i + 1).isBlank()) {
                        line.append(' ').append(code.get(++i).strip());
                    }
                }
                String cmd = commandPart(synopsis ? line.toString().replace('|', '/') : line.toString());
                if (cmd.startsWith("./fivedstem ") || cmd.equals("./fivedstem")) {
                    List<String> words = words(cmd);
                    all.add(new DocCommand(b.file() + ":" + (b.firstCodeLine() + first), cmd, words.subList(1, words.size()), synopsis));
                }
            }
        }
        return all.stream();
    }

    static Stream<DocCommand> inlineCommands() {
        List<DocCommand> all = new ArrayList<>();
        Path root = MarkdownDocs.repositoryRoot();
        for (String f : MarkdownDocs.documentationFiles()) {
            List<String> lines = readLines(root.resolve(f));
            boolean inBlock = false;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().startsWith("```")) {
                    inBlock = !inBlock;
                    continue;
                }
                if (inBlock) {
                    continue;
                }
                Matcher m = INLINE_CODE.matcher(lines.get(i));
                while (m.find()) {
                    String span = commandPart(m.group(1).replace("\\|", "/"));   // a table's escaped pipe: not a shell pipe
                    List<String> words = words(span);
                    if (words.size() >= 2 && (words.get(0).equals("fivedstem") || words.get(0).equals("./fivedstem"))
                        && words.get(1).matches("[a-z]+")) {
                        all.add(new DocCommand(f + ":" + (i + 1), span, words.subList(1, words.size()), true));
                    }
                }
            }
        }
        return all.stream();
    }

    static Stream<String> jshellScriptArguments() {
        return MarkdownDocs.blocks(SHELL_LANGUAGES.toArray(String[]::new)).stream()
            .flatMap(b -> {
                List<String> scripts = new ArrayList<>();
                for (int i = 0; i < b.code().size(); i++) {
                    String cmd = commandPart(b.code().get(i));
                    if (cmd.startsWith("jshell ")) {
                        for (String w : words(cmd)) {
                            if (w.endsWith(".jsh")) {
                                scripts.add(b.file() + ":" + (b.firstCodeLine() + i) + " " + w);
                            }
                        }
                    }
                }
                return scripts.stream();
            });
    }

    /** Every command line in a code block parses as {@code fivedstem} would parse it; a synopsis names existing options. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("blockCommands")
    void commandLineInACodeBlockParses(DocCommand c) {
        if (c.namesOnly()) {
            inlineCommandNamesExistingOptions(c);
            return;
        }
        CommandLine cl = FivedstemCommand.commandLine();
        try {
            CommandLine.ParseResult r = cl.parseArgs(c.args().toArray(String[]::new));
            assertTrue(r.hasSubcommand() || c.args().stream().allMatch(a -> a.startsWith("-")),
                c.where() + ": names no sub-command: " + c.line());
        } catch (CommandLine.ParameterException e) {
            fail(c.where() + ": `" + c.line() + "` does not parse: " + e.getMessage());
        }
    }

    /** Every {@code fivedstem SUB --option} span or synopsis names an existing sub-command and its options. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("inlineCommands")
    void inlineCommandNamesExistingOptions(DocCommand c) {
        CommandSpec root = FivedstemCommand.commandLine().getCommandSpec();
        String sub = c.args().get(0);
        CommandLine subLine = root.subcommands().get(sub);
        if (subLine == null) {
            fail(c.where() + ": `" + c.line() + "`: no sub-command " + sub + "; there are " + root.subcommands().keySet());
        }
        CommandSpec spec = subLine.getCommandSpec();
        for (String w : c.args()) {
            String name = w.replaceAll("^[\\[(]+", "");
            if (name.equals("--")) {
                break;   // the end of the options: what follows is passed on (fivedstem jshell -- -R-Xmx8g)
            }
            if (name.startsWith("--")) {
                name = name.replaceAll("[\\])|,=…].*$", "");
                if (spec.findOption(name) == null) {
                    fail(String.format(Locale.ROOT, "%s: `%s`: %s has no option %s; it has %s", c.where(), c.line(), sub, name,
                        spec.options().stream().map(o -> o.longestName()).sorted().collect(Collectors.toList())));
                }
            }
        }
    }

    /** The scripts a documented {@code jshell} command loads are where it says. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jshellScriptArguments")
    void jshellScriptsOfTheDocsExist(String whereAndScript) {
        String script = whereAndScript.substring(whereAndScript.indexOf(' ') + 1);
        assertTrue(Files.isRegularFile(MarkdownDocs.repositoryRoot().resolve(script)), whereAndScript + " does not exist");
    }

    /** The docs do show commands: the README's quick start and every section of the user guide. */
    @Test
    void theDocumentedCommandsAreFound() {
        List<DocCommand> blocks = blockCommands().filter(c -> !c.namesOnly()).collect(Collectors.toList());
        for (String sub : new String[] {"demo", "info", "simulate", "analyze", "figures", "series", "fit"}) {
            assertTrue(blocks.stream().anyMatch(c -> c.args().get(0).equals(sub)), "no ./fivedstem " + sub + " in a code block: " + blocks);
        }
        assertTrue(blocks.stream().anyMatch(c -> c.where().startsWith("README.md:")), "README.md quick start: " + blocks);
        long inline = inlineCommands().count();
        System.out.printf(Locale.ROOT, "Documentation commands: %d command lines in code blocks parsed; %d synopses and %d inline"
            + " `fivedstem ...` spans checked for sub-command and option names; %d jshell scripts%n", blocks.size(),
            blockCommands().filter(DocCommand::namesOnly).count(), inline, jshellScriptArguments().count());
        assertTrue(inline >= 7, "the README's command table has a span per sub-command");
    }

    /** The checks can fail: an unknown option or sub-command and a bad value are reported. */
    @Test
    void wrongCommandsAreCaught() {
        DocCommand unknownOption = new DocCommand("x.md:1", "./fivedstem analyze a.h5 --out b.h5 --no-such", List.of("analyze", "a.h5", "--out", "b.h5", "--no-such"), false);
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> commandLineInACodeBlockParses(unknownOption));
        DocCommand badValue = new DocCommand("x.md:2", "./fivedstem simulate --out s.h5 --frames many", List.of("simulate", "--out", "s.h5", "--frames", "many"), false);
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> commandLineInACodeBlockParses(badValue));
        DocCommand unknownSub = new DocCommand("x.md:3", "fivedstem analyse X", List.of("analyse", "X"), true);
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> inlineCommandNamesExistingOptions(unknownSub));
        DocCommand unknownInlineOption = new DocCommand("x.md:4", "fivedstem demo [--fast]", List.of("demo", "[--fast]"), true);
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> inlineCommandNamesExistingOptions(unknownInlineOption));
        assertEquals(List.of("./fivedstem", "demo", "--out", "my dir"), words(commandPart("$ JAVA_OPTS=-Xmx2g ./fivedstem demo --out 'my dir'   # comment")));
    }

    /**
     * @return the command of a shell line: without a {@code $ } prompt, leading environment
     *     assignments, a trailing comment, and anything after a pipe, redirection or {@code &&}
     */
    static String commandPart(String line) {
        String s = line.strip();
        if (s.startsWith("$ ")) {
            s = s.substring(2).strip();
        }
        for (Matcher m = ENV_ASSIGNMENT.matcher(s); m.find(); m = ENV_ASSIGNMENT.matcher(s)) {
            s = s.substring(m.end());
        }
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                quote = ch == quote ? 0 : quote;
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                break;
            } else if (ch == '|' || ch == '>' || ch == ';' || (ch == '&' && i + 1 < s.length() && s.charAt(i + 1) == '&')) {
                break;
            }
            out.append(ch);
        }
        return out.toString().strip();
    }

    /** @return the shell words of a command: split at blanks, quotes removed */
    static List<String> words(String cmd) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char ch : cmd.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    w.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
