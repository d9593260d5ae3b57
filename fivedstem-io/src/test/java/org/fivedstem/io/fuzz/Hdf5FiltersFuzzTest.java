/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jhdf.exceptions.HdfFilterException;
import org.fivedstem.io.internal.Hdf5Filters;

/**
 * The bitshuffle and zstd chunk decoders: any chunk and filter parameters decode, or fail as jhdf's
 * HdfFilterException (which the chunked reader reports as a RecordingException).
 */
class Hdf5FiltersFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void chunks(FuzzedDataProvider data) {
        int[] cd = {0, 3, data.consumeInt(0, 9), data.consumeInt(0, 8192), data.consumeInt(0, 4)};
        boolean zstd = data.consumeBoolean();
        byte[] chunk = data.consumeRemainingAsBytes();
        try {
            if (zstd) {
                new Hdf5Filters.Zstd().decode(chunk, cd);
            } else {
                new Hdf5Filters.Bitshuffle().decode(chunk, cd);
            }
        } catch (HdfFilterException expected) {
            // a corrupt chunk, reported as it should be
        }
    }
}
