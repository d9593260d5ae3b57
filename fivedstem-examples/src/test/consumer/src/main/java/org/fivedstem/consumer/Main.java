/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.consumer;

import java.io.IOException;
import java.nio.file.Path;

import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.QRange;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.io.results.Provenance;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;

/**
 * The README's library example ("Using the library"), run as a user's program on a simulated recording
 * instead of the reader's scan.h5: crop, bin, analyse, save the results file and read it back.
 *
 * <p>Arguments: {@code class-path} or {@code module-path} (how it is expected to run), the fivedstem
 * version it is expected to find, and the results file to write. Exits with status 1 when the run is not
 * what was expected or the file does not give back what was saved.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        String expectedPath = args[0];
        String expectedVersion = args[1];
        Path out = Path.of(args[2]);

        SpeckleSimulation sim = SpeckleSimulation.builder().scan(6, 12).frames(40).patternSize(48, 48)
            .pixelSizeInverseNm(0.25).seed(7).build();
        Dataset5D ds = sim.dataset()
            .crop(0, 6, 6, 12)                                         // the right half of the scan
            .bin(2);                                                   // 48×48 → 24×24, 0.5 nm⁻¹ per pixel
        AnalysisResult r = Analysis.of(ds)
            .dynamics(QRange.of(4.2, 4.6), CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1))
            .structure(QRange.of(3.0, 5.8))
            .run();
        System.out.println(r.maps());
        System.out.println(r.spearman());
        CorrelationCurve g = r.curve(2, 3);
        System.out.println(g);
        ResultsFile.write(out, r, Provenance.of("simulated").withCrop(0, 6, 6, 12).withBin(2));
        SavedAnalysis back = ResultsFile.read(out);

        Module me = Main.class.getModule();
        String path = me.isNamed() ? "module-path" : "class-path";
        System.out.println("ran on the " + path + (me.isNamed() ? " as " + me.getName() + ", fivedstem as "
            + ResultsFile.class.getModule().getName() : "") + "; fivedstem " + Provenance.libraryVersion());
        check(path.equals(expectedPath), "expected to run on the " + expectedPath);
        check(Provenance.libraryVersion().equals(expectedVersion), "expected fivedstem " + expectedVersion);
        check(back.maps().equals(r.maps()), "the results file gives back the maps");
        check(back.settings().equals(r.settings()), "the results file gives back the settings");
        check(back.spearman().equals(r.spearman()), "the results file gives back rho");
        System.out.println("results file " + out.getFileName() + " read back: maps, settings and rho as saved");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("consumer check failed: " + what);
            System.exit(1);
        }
    }
}
