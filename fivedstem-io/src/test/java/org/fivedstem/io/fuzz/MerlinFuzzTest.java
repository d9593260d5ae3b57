/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.fuzz;

import java.io.IOException;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Merlin {@code .mib} frame headers and streams: any bytes open, or fail as a RecordingException. */
class MerlinFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void mib(byte[] data) throws IOException {
        Fuzzing.openAndRead(Map.of("f.mib", data));
    }
}
