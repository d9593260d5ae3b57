/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.fuzz;

import java.io.IOException;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Gatan DM3/DM4 tag trees: any bytes open, or fail as a RecordingException. */
class DigitalMicrographFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void dm4(byte[] data) throws IOException {
        Fuzzing.openAndRead(Map.of("f.dm4", data));
    }
}
