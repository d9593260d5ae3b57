/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.QRange;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.hdf5.Hdf5Attribute;
import org.fivedstem.io.hdf5.RecordingWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fivedstem simulate --out FILE.h5}: writes a simulated 5D-STEM recording with known truth
 * (τ, β, γ maps and the expected V) in the project's raw layout, streaming position by position so
 * that recordings of any size need little memory.
 */
@Command(name = "simulate",
    header = "Writes a simulated recording with known truth (tau, beta, gamma, V).",
    mixinStandardHelpOptions = true,
    description = {
        "Simulates a 5D-STEM recording of a glass with known local dynamics and order (speckle fields with "
            + "KWW correlation exp(-(t/tau)^gamma), contrast beta, Poisson counting) and writes it as HDF5: "
            + "/data (t, scan_y, scan_x, k_y, k_x) with calibration attributes, /mask, and the truth in /truth. "
            + "Defaults follow the paper: 60×60 scan, 106 frames of 66×66 pixels at 0.23 nm⁻¹, 9.2 s apart.",
        ""},
    footer = {"",
        "An existing FILE.h5 is refused unless --force is given. The file is written as a hidden temporary file "
            + "beside it and renamed when complete; an interrupted run (Ctrl-C) deletes the temporary file.",
        "",
        "Exit codes: 0 success, 1 failure (no partial output), 2 usage error."})
public final class SimulateCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.h5", description = "recording to write")
    private Path out;

    @Option(names = "--scan", paramLabel = "NY,NX", defaultValue = "60,60", converter = InputOptions.ScanConverter.class,
        description = "scan rows,columns (default: ${DEFAULT-VALUE})")
    private InputOptions.ScanSize scan;

    @Option(names = "--frames", paramLabel = "T", defaultValue = "106", description = "frames (default: ${DEFAULT-VALUE})")
    private int frames;

    @Option(names = "--k", paramLabel = "K", defaultValue = "66", description = "pattern size K×K pixels (default: ${DEFAULT-VALUE})")
    private int k;

    @Option(names = "--pixel-size", paramLabel = "INV_NM", defaultValue = "0.23", description = "pixel size in nm⁻¹ (default: ${DEFAULT-VALUE})")
    private double pixelSize;

    @Option(names = "--frame-interval", paramLabel = "S", defaultValue = "9.2", description = "time between frames in s (default: ${DEFAULT-VALUE})")
    private double frameInterval;

    @Option(names = "--dose", paramLabel = "D", defaultValue = "10",
        description = "mean electrons per pixel per frame at the halo peak; 0 = noise-free float32 data (default: ${DEFAULT-VALUE})")
    private double dose;

    @Option(names = "--tau-median", paramLabel = "S", defaultValue = "1000", description = "median relaxation time in s at the reference temperature (default: ${DEFAULT-VALUE})")
    private double tauMedian;

    @Option(names = "--tau-spread", paramLabel = "SIGMA_LN", defaultValue = "0.5", description = "spread of ln tau over the scan (default: ${DEFAULT-VALUE})")
    private double tauSpread;

    @Option(names = "--gamma", paramLabel = "G", defaultValue = "1", description = "stretching exponent, 0 < G <= 2 (default: ${DEFAULT-VALUE})")
    private double gamma;

    @Option(names = "--rho", paramLabel = "R", defaultValue = "0.4", description = "Spearman correlation between the tau and beta maps (default: ${DEFAULT-VALUE})")
    private double rho;

    @Option(names = "--temperature", paramLabel = "K", defaultValue = "633",
        description = "temperature in K; tau follows Arrhenius with E = 97 kJ/mol from 633 K (default: ${DEFAULT-VALUE})")
    private double temperature;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "random seed: the same seed gives the same file (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--threads", paramLabel = "N", description = "generating threads (default: all processors); the file does not depend on it")
    private Integer threads;

    @Mixin
    private OutputOptions output;

    @Option(names = {"-f", "--force"}, description = "replace FILE.h5 if it exists (without it, an existing file is "
        + "refused: a recording is not overwritten by surprise)")
    private boolean force;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        int ny = scan.rows();
        int nx = scan.columns();
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(cl, "--threads must be at least 1: " + threads);
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a folder; give a file name such as sim.h5");
        }
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException(out + " already exists; give --force to replace it, or another --out");
        }
        SpeckleSimulation sim;
        try {
            sim = SpeckleSimulation.builder().scan(ny, nx).frames(frames).patternSize(k, k).pixelSizeInverseNm(pixelSize)
                .centerPx((k - 1) / 2.0, (k - 1) / 2.0).frameIntervalSeconds(frameInterval).dose(dose)
                .tauMedianSeconds(tauMedian).tauSpreadLn(tauSpread).gammaRange(gamma, gamma).rankCorrelation(rho)
                .temperatureKelvin(temperature).seed(seed).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage(), e, null, null);
        }
        write(sim, out, threads == null ? Runtime.getRuntime().availableProcessors() : threads,
            output.progressBar(cl.getErr(), 0));
        if (output.showSummary()) {
            cl.getOut().println(Checks.format("%s: %s, dose %s e⁻/pixel/frame, %.0f K, median tau %.4g s (truth in /truth)",
                out, sim.shape(), dose == 0 ? "∞ (noise-free)" : Checks.format("%.4g", dose), temperature,
                sim.tauSeconds().median()));
            cl.getOut().flush();
        }
        return 0;
    }

    /**
     * Writes a simulated recording with its truth: the raw layout plus {@code /mask} and
     * {@code /truth/{tau_s,beta,gamma,V_expected}}.
     *
     * @param sim the simulation
     * @param file the target (written through a temporary file)
     * @param threads generating threads
     * @param progress the progress bar to draw, or {@code null}
     * @throws IOException if writing fails
     */
    static void write(SpeckleSimulation sim, Path file, int threads, ProgressBar progress) throws IOException {
        Shape5D shape = sim.shape();
        Calibration cal = sim.calibration();
        boolean counted = sim.doseElectronsPerPixelPerFrame() > 0;
        AtomicLong done = new AtomicLong();
        int positions = shape.positionCount();
        try (RecordingWriter w = RecordingWriter.create(file, shape, counted ? SampleType.UINT16 : SampleType.FLOAT32, cal)) {
            sim.forEachPosition(threads, (y, x, values) -> {
                w.writeFrames(y, x, values);
                if (progress != null) {
                    progress.onProgress("simulating", done.incrementAndGet(), positions, -1);
                }
            });
            w.putMask(sim.detectorMask());
            long[] dims = {shape.scanY(), shape.scanX()};
            w.putDataset("/truth/tau_s", dims, sim.tauSeconds().values(), Hdf5Attribute.of("units", "s"));
            w.putDataset("/truth/beta", dims, sim.beta().values());
            w.putDataset("/truth/gamma", dims, sim.gamma().values());
            Dataset5D ds = sim.dataset();
            QRange struct = QRange.of(3.0, 5.8);
            try {
                ScalarMap v = sim.expectedSpeckleVarianceMap(AnnulusMask.of(ds, struct));
                w.putDataset("/truth/V_expected", dims, v.values(),
                    Hdf5Attribute.ofArray("q_inv_nm", new double[] {struct.qMinInverseNm(), struct.qMaxInverseNm()}));
            } catch (IllegalArgumentException e) {
                // The pattern does not reach 3.0–5.8 nm⁻¹: no expected V to record.
            }
            w.putGroupAttributes("/truth",
                Hdf5Attribute.of("seed", sim.seed()),
                Hdf5Attribute.of("dose_e_per_pixel_per_frame", sim.doseElectronsPerPixelPerFrame()),
                Hdf5Attribute.of("gain_adu_per_e", sim.gainAduPerElectron()),
                Hdf5Attribute.of("description", sim.toString()));
            w.commit();
        } finally {
            if (progress != null) {
                progress.finish();
            }
        }
    }
}
