/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.Recordings;

/**
 * Opens a recording whose file may lack calibration values that the command does not need (info)
 * or will estimate (the centre, with {@code --center auto}). A missing value is recognised by the
 * command-line flag that the reader's message asks for ({@code "calibration lacks …; give it with
 * --center"}), replaced by a placeholder, and reported; any other failure is passed on.
 */
final class LenientOpen {

    /**
     * @param dataset the opened recording; placeholder values where the file had none
     * @param placeholders what was missing, e.g. "pattern centre (--center)"
     */
    record Opened(Dataset5D dataset, List<String> placeholders) {

        boolean lacks(String flag) {
            return placeholders.stream().anyMatch(p -> p.contains(flag));
        }
    }

    private LenientOpen() {
    }

    /**
     * @param input the recording
     * @param options the command's input options
     * @param tolerated the flags whose values may be missing: any of --frame-interval,
     *     --scan-step, --pixel-size, --center
     * @return the recording, with the centre placeholder at the pattern's middle
     * @throws RecordingException if it cannot be opened for another reason
     */
    static Opened open(Path input, InputOptions options, List<String> tolerated) throws RecordingException {
        OpenOptions o = options.toOpenOptions();
        List<String> missing = new ArrayList<>();
        for (int attempt = 0; ; attempt++) {
            try {
                Dataset5D ds = Recordings.open(input, o);
                if (missing.stream().anyMatch(m -> m.contains("--center"))) {
                    ds = ds.withCalibration(ds.calibration().withCenterPx((ds.shape().ky() - 1) / 2.0, (ds.shape().kx() - 1) / 2.0));
                }
                return new Opened(ds, List.copyOf(missing));
            } catch (RecordingException e) {
                String m = e.getMessage() == null ? "" : e.getMessage();
                if (attempt > 4 || !m.contains("calibration lacks")) {
                    throw e;
                }
                if (m.contains("--frame-interval") && tolerated.contains("--frame-interval")) {
                    o = o.withFrameIntervalSeconds(1);
                    missing.add("frame interval (--frame-interval)");
                } else if (m.contains("--scan-step") && tolerated.contains("--scan-step")) {
                    o = o.withScanStepNm(1);
                    missing.add("scan step (--scan-step)");
                } else if (m.contains("--pixel-size") && tolerated.contains("--pixel-size")) {
                    o = o.withPixelSizeInverseNm(1);
                    missing.add("pixel size (--pixel-size)");
                } else if (m.contains("--center") && tolerated.contains("--center")) {
                    o = o.withCenterPx(0, 0);
                    missing.add("pattern centre (--center)");
                } else {
                    throw e;
                }
            }
        }
    }
}
