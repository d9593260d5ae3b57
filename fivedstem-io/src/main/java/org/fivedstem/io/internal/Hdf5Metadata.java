/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;

/**
 * Reads the metadata of self-describing HDF5 files through jhdf, forgiving about how writers
 * store it: a string may come as {@code String} or a one-element {@code String[]} (h5py writes
 * scalars, others 1-element arrays); an h5py bool is an HDF5 enum that jhdf returns as the string
 * {@code "TRUE"}/{@code "FALSE"}; versions may be integers or strings ({@code "0"}).
 */
final class Hdf5Metadata {

    private Hdf5Metadata() {
    }

    /**
     * @param node a node
     * @param name an attribute name
     * @return the attribute's value, or {@code null} if absent or unreadable
     */
    static Object attribute(Node node, String name) {
        try {
            Attribute a = node.getAttribute(name);
            return a == null ? null : unwrap(a.getData());
        } catch (RuntimeException e) {
            return null;   // an attribute jhdf cannot decode counts as absent: the caller falls back
        }
    }

    /** A one-element array becomes its element. */
    private static Object unwrap(Object v) {
        if (v != null && v.getClass().isArray() && Array.getLength(v) == 1) {
            return Array.get(v, 0);
        }
        return v;
    }

    /**
     * @param node a node
     * @param name an attribute name
     * @return the attribute as text (numbers printed), or {@code null}
     */
    static String text(Node node, String name) {
        return asText(attribute(node, name));
    }

    /**
     * @param v a value read from a file
     * @return it as trimmed text (byte arrays as UTF-8), or {@code null}
     */
    static String asText(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[]) {
            return new String((byte[]) v, java.nio.charset.StandardCharsets.UTF_8).replace("\0", "").trim();
        }
        if (v.getClass().isArray()) {
            return null;
        }
        return v.toString().replace("\0", "").trim();
    }

    /**
     * @param node a node
     * @param name an attribute name
     * @param absent the value when absent or not a number
     * @return the attribute as a number (numeric strings parsed)
     */
    static double number(Node node, String name, double absent) {
        return asNumber(attribute(node, name), absent);
    }

    /**
     * @param v a value read from a file
     * @param absent the value when {@code v} is not a number
     * @return the number
     */
    static double asNumber(Object v, double absent) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String) {
            try {
                return Double.parseDouble(((String) v).trim());
            } catch (NumberFormatException e) {
                return absent;
            }
        }
        return absent;
    }

    /**
     * @param node a node
     * @param name an attribute name
     * @return the attribute as a boolean ({@code TRUE}/{@code True}/{@code 1} …), or {@code null} if absent
     */
    static Boolean flag(Node node, String name) {
        Object v = attribute(node, name);
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof Number) {
            return ((Number) v).doubleValue() != 0;
        }
        if (v instanceof String) {
            String s = ((String) v).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("1")) {
                return true;
            }
            if (s.equals("false") || s.equals("0")) {
                return false;
            }
        }
        return null;
    }

    /**
     * @param group a group
     * @param name a child's name
     * @return the child dataset's whole value (scalars as the scalar), or {@code null}
     */
    static Object datasetValue(Group group, String name) {
        Dataset d = childDataset(group, name);
        if (d == null) {
            return null;
        }
        try {
            return unwrap(d.getData());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * @param group a group
     * @param name a child's name
     * @return the child if it is a group, else {@code null}
     */
    static Group childGroup(Group group, String name) {
        try {
            Node n = group.getChild(name);
            return n instanceof Group ? (Group) n : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * @param group a group
     * @param name a child's name
     * @return the child if it is a dataset, else {@code null}
     */
    static Dataset childDataset(Group group, String name) {
        try {
            Node n = group.getChild(name);
            return n instanceof Dataset ? (Dataset) n : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * @param node a node
     * @return its path without the trailing slash jhdf gives groups ({@code /Experiments/scan})
     */
    static String path(Node node) {
        String p = node.getPath();
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /**
     * @param group a group
     * @return its child groups, in the file's order
     */
    static List<Group> childGroups(Group group) {
        List<Group> out = new ArrayList<>();
        for (Node n : group) {
            if (n instanceof Group) {
                out.add((Group) n);
            }
        }
        return out;
    }
}
