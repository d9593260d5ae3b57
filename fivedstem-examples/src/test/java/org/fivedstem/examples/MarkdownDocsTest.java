/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;

import org.fivedstem.examples.MarkdownDocs.Block;
import org.fivedstem.examples.MarkdownDocs.Mode;
import org.junit.jupiter.api.Test;

/** The Markdown reader of the documentation tests: blocks, lines and directives, and its errors. */
class MarkdownDocsTest {

    @Test
    void blocksCarryTheirLineLanguageAndDirectives() {
        List<Block> blocks = MarkdownDocs.parse("x.md", List.of(
            "# Title",                                         // 1
            "",                                                // 2
            "```java",                                         // 3
            "int a = 1;",                                      // 4
            "```",                                             // 5
            "<!-- an ordinary comment -->",                    // 6
            "<!-- snippet-setup: var dataset = 1;",            // 7
            "     var other = 2; -->",                         // 8
            "<!-- snippet: compile-only (opens a file) -->",   // 9
            "",                                                // 10
            "```Java",                                         // 11
            "use(dataset);",                                   // 12
            "```",                                             // 13
            "```",                                             // 14
            "./fivedstem demo",                                // 15
            "```"));                                           // 16
        assertEquals(3, blocks.size());
        Block plain = blocks.get(0);
        assertEquals("x.md:3", plain.where());
        assertEquals(4, plain.firstCodeLine());
        assertEquals("java", plain.language());
        assertEquals(Mode.RUN, plain.mode());
        assertEquals("", plain.setup());
        Block directed = blocks.get(1);
        assertEquals("java", directed.language());
        assertEquals(Mode.COMPILE_ONLY, directed.mode());
        assertEquals("var dataset = 1;\nvar other = 2;", directed.setup());
        assertEquals(7, directed.setupLine());
        assertEquals(List.of("use(dataset);"), directed.code());
        assertEquals("", blocks.get(2).language());
        assertEquals(Mode.RUN, blocks.get(2).mode());
    }

    @Test
    void misplacedOrMistypedDirectivesAreErrors() {
        IllegalStateException typo = assertThrows(IllegalStateException.class,
            () -> MarkdownDocs.parse("x.md", List.of("<!-- snippet: compileonly -->", "```java", "x();", "```")));
        assertTrue(typo.getMessage().startsWith("x.md:1: unknown snippet directive"), typo.getMessage());
        IllegalStateException orphan = assertThrows(IllegalStateException.class,
            () -> MarkdownDocs.parse("x.md", List.of("<!-- snippet-setup: int a = 1; -->", "Some text.", "```java", "x();", "```")));
        assertTrue(orphan.getMessage().startsWith("x.md:1: snippet directive is not followed by a code block"), orphan.getMessage());
        IllegalStateException unclosed = assertThrows(IllegalStateException.class,
            () -> MarkdownDocs.parse("x.md", List.of("text", "```java", "x();")));
        assertTrue(unclosed.getMessage().startsWith("x.md:2: code block is never closed"), unclosed.getMessage());
    }

    @Test
    void theRepositoryRootHoldsTheDocumentation() {
        assertTrue(Files.isRegularFile(MarkdownDocs.repositoryRoot().resolve("docs/testing.md")));
        List<String> files = MarkdownDocs.documentationFiles();
        assertEquals("README.md", files.get(0));
        assertTrue(files.contains("docs/user-guide.md"), files.toString());
    }
}
