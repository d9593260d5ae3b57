/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

/**
 * Receives progress reports from long work (analysis, simulation, writing). Called from the
 * working thread; implementations must return quickly and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = (stage, done, total, bytes) -> { };

    /**
     * Reports progress.
     *
     * @param stage what is being done, e.g. {@code "reading"} or {@code "fitting"}
     * @param done units of work done so far (e.g. patterns read)
     * @param total units of work in all, or −1 if unknown
     * @param bytesRead bytes read from storage so far, or −1 if not applicable
     */
    void onProgress(String stage, long done, long total, long bytesRead);
}
