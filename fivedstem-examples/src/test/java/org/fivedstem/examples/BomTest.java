/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * fivedstem-bom, which has no parent and so states its version itself, stays in step with the reactor, manages
 * exactly the published library modules, and is the version the README tells users to import and the consumer
 * project (src/test/consumer, run by .ci/run) takes.
 */
class BomTest {

    private static final Path ROOT = Path.of("..");

    private static Element pom(Path file) throws IOException, ParserConfigurationException, SAXException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    private static String child(Element e, String name) {
        NodeList l = e.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().strip();
            }
        }
        return null;
    }

    @Test
    void managesTheLibraryModulesAtTheReactorsVersion() throws Exception {
        String version = child(pom(ROOT.resolve("pom.xml")), "version");
        Element bom = pom(ROOT.resolve("fivedstem-bom/pom.xml"));
        assertEquals(null, child(bom, "parent"), "the BOM has no parent");
        assertEquals(version, child(bom, "version"), "fivedstem-bom's version");
        List<String> managed = new ArrayList<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            managed.add(child(d, "groupId") + ":" + child(d, "artifactId") + ":" + child(d, "version"));
        }
        assertEquals(List.of("org.fivedstem:fivedstem-api:${project.version}", "org.fivedstem:fivedstem-core:${project.version}",
            "org.fivedstem:fivedstem-io:${project.version}"), managed);
    }

    @Test
    void theConsumerProjectAsksForTheCurrentVersion() throws Exception {
        String version = child(pom(ROOT.resolve("pom.xml")), "version");
        Element consumer = pom(Path.of("src/test/consumer/pom.xml"));
        Element properties = (Element) consumer.getElementsByTagName("properties").item(0);
        assertEquals(version, child(properties, "fivedstem.version"), "the consumer project's fivedstem.version");
    }

    @Test
    void theReadmeImportsTheCurrentVersion() throws Exception {
        String version = child(pom(ROOT.resolve("pom.xml")), "version");
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        String snippet = "<artifactId>fivedstem-bom</artifactId>\n      <version>" + version + "</version>";
        assertTrue(readme.contains(snippet), "README imports fivedstem-bom " + version);
    }
}
