/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.SampleType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream's count limit, which decides whether the engine may hold its values as {@code float}: the
 * largest of its parts', none when a part has none — not the first part's alone, which a stream of
 * files written with different sample types would make wrong.
 */
class FrameStreamStorageTest {

    @TempDir
    Path dir;

    private GatheringStorage part(String name, SampleType type, int frames) throws IOException {
        Shape5D stack = Shape5D.of(1, 1, frames, 4, 4);
        Path file = dir.resolve(name);
        Files.write(file, new byte[stack.patternSize() * frames * type.sizeBytes()]);
        return new ContiguousStorage(file, 0, stack, AxisOrder.DEFAULT, new Decoder(type, ByteOrder.LITTLE_ENDIAN), name);
    }

    private OptionalLong limitOf(SampleType first, SampleType second) throws IOException {
        try (FrameStreamStorage s = new FrameStreamStorage(List.of(part("a", first, 2), part("b", second, 2)),
            FrameMapping.scan(1, 1), "test stream")) {
            return s.countLimit();
        }
    }

    @Test
    void theLimitIsTheLargestOfThePartsAndNoneIfAPartHasNone() throws IOException {
        assertEquals(OptionalLong.of(65535), limitOf(SampleType.UINT16, SampleType.UINT16));
        assertEquals(OptionalLong.of(4294967295L), limitOf(SampleType.UINT16, SampleType.UINT32), "not the first part's 65535");
        assertEquals(OptionalLong.of(4294967295L), limitOf(SampleType.UINT32, SampleType.UINT8));
        assertEquals(OptionalLong.empty(), limitOf(SampleType.UINT16, SampleType.FLOAT32));
        assertEquals(OptionalLong.empty(), limitOf(SampleType.INT16, SampleType.UINT16));
    }
}
