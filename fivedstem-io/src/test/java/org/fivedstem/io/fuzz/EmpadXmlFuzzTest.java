/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.fuzz;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * EMPAD acquisition XML beside a valid raw file of four 128 × 130 float32 frames: any XML opens, or
 * fails as a RecordingException.
 */
class EmpadXmlFuzzTest {

    private static final byte[] RAW = new byte[4 * 130 * 128 * 4];

    @FuzzTest(maxDuration = "10s")
    void xml(byte[] data) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("f.xml", data);
        files.put("f.raw", RAW);
        Fuzzing.openAndRead(files);
    }
}
