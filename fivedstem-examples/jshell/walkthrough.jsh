// fivedstem walk-through: simulate -> analyse -> one curve and its fit -> maps -> rank correlation.
// Run it with ./fivedstem jshell --walkthrough (or after startup.jsh, see its first lines). Each step
// prints what it made; the variables stay defined, so carry on exploring: sim, ds, result, maps, g,
// fit, rho.
// JShell runs a line as soon as it is a complete statement: a statement continued on the next line
// ends its line with '.' or ',' (a line starting with '.' would be an error).

// 1. Simulate a small recording with known truth: 14×14 positions, 100 frames 9.2 s apart,
//    48×48 diffraction pixels of 0.25 nm⁻¹, median τ 300 s, τ and local order (β) rank-correlated 0.4
//    (in expectation; a 14×14 map with patches 1.5 steps wide realises its own value, printed in step 5).
var sim = SpeckleSimulation.builder().scan(14, 14).frames(100).patternSize(48, 48).pixelSizeInverseNm(0.25).
    tauMedianSeconds(300).betaRange(0.2, 0.5).rankCorrelation(0.4).correlationLengthSteps(1.5).seed(7).build();
System.out.println(sim);
var ds = sim.dataset();          // generated on the fly as it is read; a file works the same: Recordings.open(Path.of("x.h5"))
System.out.println(ds);

// 2. Analyse as the paper does: g(t) over 4.2–4.6 nm⁻¹, KWW with γ = 1 (eqs. 1–3), V over 3.0–5.8 nm⁻¹ (eq. 5).
var result = Analysis.of(ds).
    dynamics(QRange.of(4.2, 4.6), CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1)).
    structure(QRange.of(3.0, 5.8)).
    run();
var maps = result.maps();
System.out.println(maps);

// 3. One position: its g(t), the fit, and the truth. Refit with γ free to compare.
//    The ± is the jackknife error of the fit: g is recomputed with each of 10 groups of annulus
//    pixels left out and each replicate refitted (the default, StdErrMethod.PIXEL_GROUP_JACKKNIFE).
//    Against the truth, single-position τ scatter by about 15 % at this dose and length (measured on
//    this map: 14.7 % rms); the jackknife errors cover most of it (rms of error/σ 1.3, so 1.3×
//    optimistic; 90 % of positions within ±1.96 σ): trust maps and their summaries more than any
//    one position. The γ-free refit below has no replicates at hand: its ± is the covariance error
//    of a single fit to g's standard errors, which ignores that neighbouring lags are correlated
//    and is therefore smaller still.
var g = result.curve(7, 7);
var fit = result.fit(7, 7);
System.out.println(g);
System.out.println(fit);
System.out.printf("tau at (7, 7): fitted %.1f ± %.1f s, true %.1f s%n", fit.tauSeconds(), fit.tauErrorSeconds(), sim.tauSeconds(7, 7));
var free = KwwFitter.of(FitOptions.defaults().withGammaFree()).fit(g);
System.out.printf("with gamma free: tau %.1f ± %.1f s, gamma %.2f ± %.2f%n", free.tauSeconds(), free.tauErrorSeconds(), free.gamma(), free.gammaError());

// 4. Maps: summaries and figures (PNG, into a temporary folder).
var tau = maps.reliableTauSeconds();
System.out.printf("tau: median %.1f s (true %.1f s), %d of %d positions reliable; mean V %.3f%n",
    tau.median(), sim.tauSeconds().median(), tau.validCount(), maps.scanY() * maps.scanX(), maps.speckleVariance().mean());
var dir = Files.createTempDirectory("fivedstem-jshell");
MapFigure.of(tau).withLogScale(true).withTitle("relaxation time τ").withColourBarLabel("τ (s)").writePng(dir.resolve("tau.png"));
MapFigure.of(sim.tauSeconds()).withLogScale(true).withRange(tau.min(), tau.max()).withTitle("true τ").writePng(dir.resolve("tau-true.png"));
MapFigure.of(maps.speckleVariance()).withTitle("speckle variance V").writePng(dir.resolve("V.png"));
CorrelationFigure.of("position (7, 7)", g, fit).writePng(dir.resolve("g.png"));
System.out.println("figures in " + dir);

// 5. Structure–dynamics relation: Spearman's ρ between the τ and V maps, against the truth (τ against β).
var rho = Spearman.test(tau, maps.speckleVariance());
var trueRho = Spearman.test(sim.tauSeconds(), sim.beta());
System.out.println("measured: " + rho);
System.out.printf("true rho(tau, beta) of this map: %.3f%n", trueRho.rho());
ScatterFigure.of(tau, maps.speckleVariance(), rho).writePng(dir.resolve("scatter.png"));
