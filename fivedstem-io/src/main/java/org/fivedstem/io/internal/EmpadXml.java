/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.RecordingException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The acquisition XML an EMPAD writes beside its {@code .raw} file ({@code <root name="…">}),
 * parsed with the JDK's DOM parser hardened against XML external entities: a DOCTYPE is refused
 * outright (the EMPAD software writes none), external entities, DTDs and schemas are never
 * fetched, and XInclude is off. A file from elsewhere cannot make us read local files or the
 * network.
 *
 * <p>Elements are found by name anywhere below the root, since their nesting moved between
 * software versions (the field of view sits in {@code iom_measurements} in both, the pixel size
 * at the top level in 0.51).
 */
final class EmpadXml {

    private final Path file;
    private final Element root;

    private EmpadXml(Path file, Element root) {
        this.file = file;
        this.root = root;
    }

    /**
     * @param file the XML file
     * @return the parsed file
     * @throws RecordingException if it cannot be read, is not well-formed, declares a DOCTYPE, or
     *     is not an EMPAD acquisition (root element {@code root})
     */
    static EmpadXml read(Path file) throws RecordingException {
        Document doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = hardenedBuilder().parse(in);
        } catch (SAXParseException e) {
            throw new RecordingException(file, null, Checks.format("malformed XML at line %d, column %d: %s",
                e.getLineNumber(), e.getColumnNumber(), e.getMessage()), e);
        } catch (SAXException | ParserConfigurationException e) {
            throw new RecordingException(file, null, "cannot parse the XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RecordingException(file, null, "cannot read: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("root")) {
            throw new RecordingException(file, null, "root element is <" + root.getTagName()
                + ">; an EMPAD acquisition XML starts with <root name=\"…\">");
        }
        return new EmpadXml(file, root);
    }

    private static DocumentBuilder hardenedBuilder() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        DocumentBuilder b = f.newDocumentBuilder();
        // the default handler prints to stderr; errors are reported once, in the exception
        b.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // ignored: warnings do not stop reading
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        return b;
    }

    /** @return the XML file */
    Path file() {
        return file;
    }

    /**
     * @param tag an element name
     * @return the text of the first element of that name below the root, trimmed, or {@code null}
     */
    String text(String tag) {
        return text(root, tag);
    }

    private static String text(Element under, String tag) {
        NodeList l = under.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().trim();
    }

    /**
     * @param tag an element name
     * @param attribute an attribute name
     * @return the attribute of the first element of that name, or {@code null}
     */
    String attribute(String tag, String attribute) {
        NodeList l = root.getElementsByTagName(tag);
        if (l.getLength() == 0) {
            return null;
        }
        String v = ((Element) l.item(0)).getAttribute(attribute);
        return v.isEmpty() ? null : v;
    }

    /**
     * @param tag an element name
     * @return its number, or NaN if absent
     * @throws RecordingException if present but not a number
     */
    double number(String tag) throws RecordingException {
        return parse(tag, text(tag));
    }

    /**
     * @param mode {@code "acquire"} or {@code "search"}
     * @param tag a child of {@code <scan_parameters mode="…">}, e.g. {@code scan_resolution_x}
     * @return its number, or NaN if absent
     * @throws RecordingException if present but not a number
     */
    double scanParameter(String mode, String tag) throws RecordingException {
        NodeList l = root.getElementsByTagName("scan_parameters");
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            if (e.getAttribute("mode").equals(mode)) {
                return parse("scan_parameters[@mode='" + mode + "']/" + tag, text(e, tag));
            }
        }
        return Double.NaN;
    }

    /**
     * @param tag an element whose text is a list {@code [a, b, …]} (Python's repr of a list)
     * @return the numbers, or {@code null} if absent
     * @throws RecordingException if present but not a list of numbers
     */
    double[] list(String tag) throws RecordingException {
        String t = text(tag);
        if (t == null) {
            return null;
        }
        String inner = t.replace("[", "").replace("]", "").replace("(", "").replace(")", "").trim();
        List<Double> v = new ArrayList<>();
        for (String p : inner.split("[,\\s]+")) {
            if (!p.isEmpty()) {
                v.add(parse(tag, p));
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * @param parent an element name, e.g. {@code full_scan_field_of_view} (the first found anywhere)
     * @param child the name of a child element of it, e.g. {@code x}
     * @return the child's number, or NaN if either is absent
     * @throws RecordingException if present but not a number
     */
    double nested(String parent, String child) throws RecordingException {
        NodeList l = root.getElementsByTagName(parent);
        if (l.getLength() == 0) {
            return Double.NaN;
        }
        for (Node n = l.item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && ((Element) n).getTagName().equals(child)) {
                return parse(parent + "/" + child, n.getTextContent().trim());
            }
        }
        return Double.NaN;
    }

    private double parse(String what, String text) throws RecordingException {
        if (text == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new RecordingException(file, null, Checks.format("<%s> is '%s', not a number", what, text), e);
        }
    }
}
