/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.raw.RawLayout;

/**
 * Opens raw binary recordings (memory-mapped): layout from the options or from a JSON sidecar,
 * calibration from the sidecar's keys (the raw layout's attribute names) and the options.
 */
public final class RawOpener {

    private RawOpener() {
    }

    /**
     * @param file a raw file
     * @return its sidecar: {@code file.json} if it exists, else {@code file-without-extension.json}
     *     if that exists, else {@code file.json}
     */
    public static Path sidecarOf(Path file) {
        Path full = file.resolveSibling(file.getFileName() + ".json");
        if (Files.exists(full)) {
            return full;
        }
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        if (dot > 0) {
            Path base = file.resolveSibling(n.substring(0, dot) + ".json");
            if (Files.exists(base)) {
                return base;
            }
        }
        return full;
    }

    /**
     * Reads a sidecar as a JSON object, or returns {@code null} if there is none.
     *
     * @param file the data file
     * @return the sidecar's object, or {@code null}
     * @throws RecordingException if the sidecar is not a JSON object
     */
    public static JsonObject readSidecar(Path file) throws RecordingException {
        Path side = sidecarOf(file);
        if (!Files.exists(side)) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(Files.readString(side, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new RecordingException(side, null, "sidecar is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IOException e) {
            throw new RecordingException(side, null, "cannot read the JSON sidecar: " + e.getMessage(), e);
        }
    }

    /**
     * @param sidecar a sidecar object, or {@code null}
     * @param side the sidecar's path, for messages
     * @return lookup of numeric keys (numbers or arrays of numbers)
     */
    public static Function<String, double[]> lookup(JsonObject sidecar, Path side) {
        return key -> {
            if (sidecar == null || !sidecar.has(key)) {
                return null;
            }
            JsonElement e = sidecar.get(key);
            try {
                if (e.isJsonArray()) {
                    JsonArray a = e.getAsJsonArray();
                    double[] v = new double[a.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.get(i).getAsDouble();
                    }
                    return v;
                }
                return new double[] {e.getAsDouble()};
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(side + ": key " + key + " is not a number or list of numbers: " + e);
            }
        };
    }

    /**
     * @param file the raw file
     * @param o options (raw layout, axes and calibration override the sidecar)
     * @return the dataset
     * @throws RecordingException for any problem
     */
    public static Dataset5D open(Path file, OpenOptions o) throws RecordingException {
        Hdf5Opener.requireReadable(file);
        JsonObject side = readSidecar(file);
        Path sidePath = sidecarOf(file);
        try {
            RawLayout layout = o.rawLayout();
            if (layout == null) {
                if (side == null) {
                    throw new RecordingException(file, null, "raw file without layout: give OpenOptions.withRawLayout or a sidecar " + sidePath.getFileName());
                }
                layout = layoutOf(side, sidePath);
            }
            AxisOrder axes = o.axes();
            if (axes == null) {
                axes = side != null && side.has("axes") ? AxisOrder.parse(side.get("axes").getAsString()) : AxisOrder.DEFAULT;
            }
            long size = Files.size(file);
            if (size != layout.fileBytes()) {
                throw new RecordingException(file, null, Checks.format(
                    "file has %d bytes but the layout %s needs %d (%s)", size, layout, layout.fileBytes(),
                    size < layout.fileBytes() ? "truncated?" : "wrong shape, type or header size?"));
            }
            Shape5D shape = axes.shapeOf(layout.storageDimensions());
            Decoder dec = new Decoder(layout.type(), layout.byteOrder());
            ContiguousStorage storage = new ContiguousStorage(file, layout.headerBytes(), shape, axes, dec,
                file.getFileName() + " raw " + dec + " " + axes + (layout.headerBytes() > 0 ? " header " + layout.headerBytes() + " B" : ""));
            Calibration cal;
            try {
                cal = CalibrationResolver.resolve(file, null, "in the sidecar " + sidePath.getFileName(), lookup(side, sidePath), null, o);
            } catch (RecordingException | RuntimeException e) {
                storage.close();
                throw e;
            }
            return Assembly.assemble(file, null, storage, cal, null, o);
        } catch (RecordingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RecordingException(file, null, e.getMessage(), e);
        }
    }

    private static RawLayout layoutOf(JsonObject side, Path sidePath) throws RecordingException {
        try {
            JsonArray shape = side.getAsJsonArray("shape");
            if (shape == null || shape.size() != 5) {
                throw new RecordingException(sidePath, null, "sidecar needs \"shape\": five extents in storage order");
            }
            int[] dims = new int[5];
            for (int i = 0; i < 5; i++) {
                dims[i] = shape.get(i).getAsInt();
            }
            if (!side.has("dtype")) {
                throw new RecordingException(sidePath, null, "sidecar needs \"dtype\", e.g. \"uint16\"");
            }
            SampleType type = SampleType.parse(side.get("dtype").getAsString());
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            if (side.has("byte_order")) {
                String b = side.get("byte_order").getAsString().toLowerCase(Locale.ROOT);
                if (b.equals("big") || b.equals(">")) {
                    order = ByteOrder.BIG_ENDIAN;
                } else if (!b.equals("little") && !b.equals("<")) {
                    throw new RecordingException(sidePath, null, "byte_order '" + b + "' is neither \"little\" nor \"big\"");
                }
            }
            long header = side.has("header_bytes") ? side.get("header_bytes").getAsLong() : 0;
            return new RawLayout(dims, type, order, header);
        } catch (RecordingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecordingException(sidePath, null, "invalid sidecar: " + e.getMessage(), e);
        }
    }
}
