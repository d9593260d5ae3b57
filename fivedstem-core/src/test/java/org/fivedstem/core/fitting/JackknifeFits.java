/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import java.io.IOException;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.KwwFit;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;

/** Test support: the per-position reference for maps whose fit errors are jackknifed. */
public final class JackknifeFits {

    private JackknifeFits() {
    }

    /**
     * The per-position API with jackknifed parameter errors: the kernel's replicates refitted.
     *
     * @param ds the dataset
     * @param annulus the dynamics annulus (one ensemble)
     * @param y scan row
     * @param x scan column
     * @param co correlation options
     * @param f the fitter
     * @return the fit with jackknife errors
     * @throws IOException if reading fails
     */
    public static KwwFit at(Dataset5D ds, AnnulusMask annulus, int y, int x, CorrelationOptions co, KwwFitter f)
        throws IOException {
        int frames = ds.shape().frames();
        int pixels = annulus.pixelCount();
        int blocks = CorrelationKernel.replicateCount(co, frames);
        double[] g = new double[frames];
        double[] se = new double[frames];
        int[] pairs = new int[frames];
        double[] reps = new double[blocks * frames];
        CorrelationKernel.correlate(Correlator.readSeries(ds, annulus, y, x), frames, pixels, new int[pixels], 1, co,
            CorrelationKernel.newWorkspace(), g, se, pairs, new int[1], reps);
        return f.fitJackknife(Correlator.lagsSeconds(frames, ds.calibration().frameIntervalSeconds()), g, se, pairs,
            reps, 0, blocks, KwwFitter.newWorkspace());
    }
}
