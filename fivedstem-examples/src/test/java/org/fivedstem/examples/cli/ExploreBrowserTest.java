/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.QRange;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.io.figures.ExplorerPage;
import org.fivedstem.io.results.Provenance;
import org.fivedstem.io.results.ResultCurves;
import org.fivedstem.io.results.ResultProfiles;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * {@code fivedstem explore} in a real browser: Debian's headless Chromium driven through its
 * chromedriver. A page written from two analysed recordings (a temperature series) is opened from disk;
 * the mouse hovers known positions of the τ map, and the numbers and curve the page then shows must be
 * those of the results file — the maps' values exactly (they are embedded as float64), g(t) and V(Q)
 * exactly as float32 (how they are embedded). Screenshots are kept in
 * {@code target/explorer-screenshots/} as test artifacts.
 *
 * <p>Without Chromium and chromedriver the test is skipped, unless the environment variable
 * {@code FIVEDSTEM_BROWSER_REQUIRED=1} is set (as {@code .ci/run} sets it, after installing them): then their
 * absence fails it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExploreBrowserTest {

    @TempDir
    static Path dir;
    static Path cold;
    static Path warm;
    static Path page;
    static WebDriver driver;

    @BeforeAll
    static void analyseAndOpenBrowser() throws IOException {
        Path chromium = Path.of(System.getProperty("fivedstem.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("fivedstem.chromedriver", "/usr/bin/chromedriver"));
        boolean present = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
        if (!present && "1".equals(System.getenv("FIVEDSTEM_BROWSER_REQUIRED"))) {
            fail("FIVEDSTEM_BROWSER_REQUIRED is set but " + chromium + " or " + chromedriver + " is missing "
                + "(Debian packages chromium and chromium-driver)");
        }
        Assumptions.assumeTrue(present, "no " + chromium + " and " + chromedriver + ": browser test skipped");
        // Two temperatures of a 6×9 scan (not square, so that rows and columns cannot be swapped unnoticed).
        cold = analyze("cold.h5", 633, 120, 21);
        warm = analyze("warm.h5", 653, 60, 22);
        page = dir.resolve("series.html");
        FivedstemCommandTest.Run r = FivedstemCommandTest.Run.of(List.of("explore", warm.toString(), cold.toString(), "--out",
            page.toString()));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Wrote " + page), r.out());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // As the workplace's probe starts it: no sandbox as root, no GPU, no network chatter on a closed network.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--window-size=1400,1700");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1700));
    }

    private static Path analyze(String name, double kelvin, double tauMedianSeconds, long seed) throws IOException {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(6, 9).frames(40).patternSize(48, 48).pixelSizeInverseNm(0.25)
            .centerPx(23.5, 23.5).frameIntervalSeconds(9.2).dose(20).tauMedianSeconds(tauMedianSeconds).seed(seed).build();
        Path recording = dir.resolve(name.replace(".h5", "-recording.h5"));
        SimulateCommand.write(sim, recording, 1, null);
        Path out = dir.resolve(name);
        FivedstemCommandTest.Run r = FivedstemCommandTest.Run.of(List.of("analyze", recording.toString(), "--out", out.toString(),
            "--quiet", "--threads", "1", "--temperature", Double.toString(kelvin)));
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    @AfterAll
    static void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    private static void open() throws InterruptedException {
        // get() returns after the load event, when the page's script has run; the loop is for slow machines.
        driver.get(page.toUri().toString());
        for (int i = 0; i < 300 && !"true".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-ready")); i++) {
            Thread.sleep(100);
        }
        assertNull(driver.findElement(By.tagName("body")).getDomAttribute("data-error"), "no script error on the page");
        assertEquals("true", driver.findElement(By.tagName("body")).getDomAttribute("data-ready"), "the page finished drawing");
    }

    private static void screenshot(String name) throws IOException {
        Path shots = Files.createDirectories(Path.of("target", "explorer-screenshots"));
        Files.write(shots.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** Moves the mouse over the centre of a position of the τ map. */
    private static void hover(int y, int x) {
        WebElement map = driver.findElement(By.cssSelector("[data-map=tau] canvas:not(.overlay)"));
        int scanY = Integer.parseInt(map.getDomAttribute("data-scan-y"));
        int scanX = Integer.parseInt(map.getDomAttribute("data-scan-x"));
        org.openqa.selenium.Rectangle r = map.getRect();
        // Selenium 4 offsets are from the element's centre.
        int dx = (int) Math.round((x + 0.5) * r.getWidth() / scanX - r.getWidth() / 2.0);
        int dy = (int) Math.round((y + 0.5) * r.getHeight() / scanY - r.getHeight() / 2.0);
        new Actions(driver).moveToElement(map, dx, dy).perform();
    }

    private static String value(String key, String attribute) {
        return driver.findElement(By.cssSelector("#fit-table tr[data-key=" + key + "] td")).getDomAttribute(attribute);
    }

    /** The page shows, for a hovered position, exactly what the results file holds there. */
    private static void assertShows(SavedAnalysis file, int y, int x) {
        WebElement position = driver.findElement(By.id("position"));
        assertEquals(Integer.toString(y), position.getDomAttribute("data-y"));
        assertEquals(Integer.toString(x), position.getDomAttribute("data-x"));
        HeterogeneityMaps m = file.maps();
        FitStatus status = m.fitStatus(y, x);
        assertEquals(Integer.toString(status.code()), value("status", "data-value"));
        assertTrue(driver.findElement(By.cssSelector("#fit-table tr[data-key=status] td")).getText().contains(status.description()));
        assertEquals(m.tauSeconds().get(y, x), Double.parseDouble(value("tau", "data-value")), 0.0, "τ at " + y + ", " + x);
        assertEquals(m.tauErrorSeconds().get(y, x), Double.parseDouble(value("tau", "data-error")), 0.0, "σ_τ");
        assertEquals(m.beta().get(y, x), Double.parseDouble(value("beta", "data-value")), 0.0, "β");
        assertEquals(m.gamma().get(y, x), Double.parseDouble(value("gamma", "data-value")), 0.0, "γ");
        assertEquals(m.speckleVariance().get(y, x), Double.parseDouble(value("v", "data-value")), 0.0, "V");
        // g(t): every finite lag but lag 0, at the file's lag times, with the file's values as float32.
        ResultCurves curves = file.curves().orElseThrow();
        double[] lags = curves.lagsSeconds();
        double[] g = curves.curve(y, x).values();
        double[] e = curves.curve(y, x).stdErrs();
        List<WebElement> points = driver.findElements(By.cssSelector("#curve circle.g-point"));
        List<Integer> finite = new ArrayList<>();
        for (int l = 1; l < lags.length; l++) {
            if (Double.isFinite(g[l])) {
                finite.add(l);
            }
        }
        assertEquals(finite.size(), points.size(), "one point per finite lag");
        for (int k = 0; k < points.size(); k++) {
            int l = finite.get(k);
            WebElement p = points.get(k);
            assertEquals(lags[l], Double.parseDouble(p.getDomAttribute("data-lag")), 0.0, "lag " + l);
            assertEquals((float) g[l], Double.parseDouble(p.getDomAttribute("data-g")), 0.0, "g at lag " + l);
            assertEquals((float) e[l], Double.parseDouble(p.getDomAttribute("data-err")), 0.0, "g's error at lag " + l);
        }
        assertEquals(status.hasParameters() ? 1 : 0, driver.findElements(By.cssSelector("#curve path.fit")).size(),
            "the KWW fit is drawn where the fit has parameters");
        ResultProfiles profiles = file.profiles().orElseThrow();
        double[] v = profiles.profile(y, x);
        List<WebElement> vPoints = driver.findElements(By.cssSelector("#profile circle.v-point"));
        assertEquals(v.length, vPoints.size(), "one V(Q) point per Q bin");
        for (int k = 0; k < v.length; k++) {
            assertEquals((float) v[k], Double.parseDouble(vPoints.get(k).getDomAttribute("data-v")), 0.0, "V(Q) bin " + k);
            assertEquals(profiles.bins()[k].centerInverseNm(), Double.parseDouble(vPoints.get(k).getDomAttribute("data-q")), 1e-12);
        }
    }

    @Test
    void hoveringAPositionShowsTheResultsFilesNumbersAndCurves() throws IOException, InterruptedException {
        open();
        SavedAnalysis coldFile = ResultsFile.read(cold);
        // The series is shown coldest first, whatever order the files were given in.
        assertEquals("0", driver.findElement(By.tagName("body")).getDomAttribute("data-active"));
        List<WebElement> temperatures = driver.findElements(By.cssSelector("#series-bar button"));
        assertEquals(List.of("633 K", "653 K"), temperatures.stream().map(WebElement::getText).toList());
        for (int[] yx : new int[][] {{1, 7}, {4, 2}, {5, 8}}) {
            hover(yx[0], yx[1]);
            assertShows(coldFile, yx[0], yx[1]);
        }
        screenshot("explorer-633K.png");
        // Another temperature: the same position now shows the other file's numbers.
        temperatures.get(1).click();
        assertEquals("1", driver.findElement(By.tagName("body")).getDomAttribute("data-active"));
        hover(3, 3);
        assertShows(ResultsFile.read(warm), 3, 3);
        assertNull(driver.findElement(By.tagName("body")).getDomAttribute("data-error"), "no script error on the page");
        screenshot("explorer-653K.png");
    }

    @Test
    void clickingHoldsAPositionAndTheArrheniusPlotSwitchesTemperature() throws InterruptedException {
        open();
        hover(2, 5);
        new Actions(driver).click().perform();
        hover(0, 0);
        WebElement position = driver.findElement(By.id("position"));
        assertEquals("2", position.getDomAttribute("data-y"), "a held position stays when the mouse moves on");
        assertTrue(position.getText().contains("held"));
        new Actions(driver).sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT).perform();
        assertEquals("6", position.getDomAttribute("data-x"), "arrow keys move a held cursor");
        assertTrue(driver.getCurrentUrl().endsWith("#t=0&y=2&x=6"), "the address names the held position: " + driver.getCurrentUrl());
        // Such a link opens the page on its position, held, at its temperature.
        driver.get("about:blank");
        driver.get(page.toUri() + "#t=1&y=4&x=1");
        position = driver.findElement(By.id("position"));
        assertEquals("1", driver.findElement(By.tagName("body")).getDomAttribute("data-active"));
        assertEquals(List.of("4", "1"), List.of(position.getDomAttribute("data-y"), position.getDomAttribute("data-x")));
        assertTrue(position.getText().contains("held"));
        List<WebElement> points = driver.findElements(By.cssSelector("#arrhenius circle.arr-point"));
        assertEquals(2, points.size(), "one Arrhenius point per temperature");
        WebElement hottest = points.stream().min(java.util.Comparator.comparingDouble(p -> Double.parseDouble(p.getDomAttribute("cx"))))
            .orElseThrow();
        hottest.click();
        assertEquals("1", driver.findElement(By.tagName("body")).getDomAttribute("data-active"),
            "the hottest point (smallest 1000/T, leftmost) shows the 653 K analysis");
        assertFalse(driver.findElement(By.id("arrhenius-fit")).getText().isEmpty(), "the fit's E is printed");
    }

    /** An analysis of the structure alone (no τ, no curves) shows its V map and V(Q), without errors. */
    @Test
    void aStructureOnlyAnalysisShowsItsVMap() throws IOException, InterruptedException {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(3, 4).frames(8).patternSize(32, 32).pixelSizeInverseNm(0.375)
            .seed(23).build();
        AnalysisResult run = Analysis.of(sim.dataset()).structure(QRange.of(2.5, 5.5)).run();
        SavedAnalysis saved = SavedAnalysis.of(run, Provenance.of("structure.h5"));
        Path structurePage = dir.resolve("structure.html");
        ExplorerPage.builder().add("structure.h5", saved).build().write(structurePage);
        driver.get(structurePage.toUri().toString());
        assertEquals("true", driver.findElement(By.tagName("body")).getDomAttribute("data-ready"));
        assertNull(driver.findElement(By.tagName("body")).getDomAttribute("data-error"), "no script error on the page");
        assertEquals(List.of("v"), driver.findElements(By.cssSelector("#maps .map")).stream()
            .map(e -> e.getDomAttribute("data-map")).toList(), "only the V map");
        assertFalse(driver.findElement(By.id("scatter-panel")).isDisplayed(), "no τ–V scatter without τ");
        assertEquals(saved.maps().speckleVariance().get(1, 2), Double.parseDouble(driver.findElement(
            By.cssSelector("#fit-table tr[data-key=v] td")).getDomAttribute("data-value")), 0.0, "V at the scan's centre (1, 2)");
        assertEquals(run.structureBins().length, driver.findElements(By.cssSelector("#profile circle.v-point")).size());
    }

    /** The τ map shows reliable fits only: a fit with τ but not reliable (here: imprecise) is grey, as its legend says. */
    @Test
    void anUnreliableFitIsGreyOnTheTauMap() throws IOException {
        HeterogeneityMaps.Builder b = HeterogeneityMaps.builder(2, 3, 1, 1);
        for (int i = 0; i < 6; i++) {
            FitStatus status = i == 5 ? FitStatus.IMPRECISE : FitStatus.CONVERGED;
            b.fit(i / 3, i % 3, new org.fivedstem.api.KwwFit(0.2, 0.01, i == 5 ? 500 : 100 + 10 * i, 5, 1, 0, true, 0, 0, false,
                1, 10, status, 1, 20, Double.NaN));
            b.speckleVariance(i / 3, i % 3, 0.4 + 0.01 * i);
        }
        org.fivedstem.core.engine.AnalysisSettings settings = org.fivedstem.core.engine.AnalysisSettings.builder(
                org.fivedstem.api.Calibration.builder().scanStepNm(1, 1).pixelSizeInverseNm(0.25).centerPx(24, 24)
                    .frameIntervalSeconds(9.2).build())
            .dynamics(new org.fivedstem.core.engine.AnalysisSettings.Dynamics(QRange.of(4.2, 4.6), 100,
                org.fivedstem.core.correlation.CorrelationOptions.defaults(),
                org.fivedstem.core.fitting.FitOptions.defaults().withGammaFixed(1), 1, 20,
                org.fivedstem.core.fitting.Estimator.LEAST_SQUARES))
            .structure(new org.fivedstem.core.engine.AnalysisSettings.Structure(QRange.of(3, 5.8), 400, Double.NaN)).build();
        Path p = dir.resolve("imprecise.html");
        ExplorerPage.builder().add("imprecise.h5", SavedAnalysis.of(b.build(), null, settings, null, Provenance.of("imprecise.h5")))
            .build().write(p);
        driver.get(p.toUri().toString());
        assertNull(driver.findElement(By.tagName("body")).getDomAttribute("data-error"), "no script error on the page");
        String pixels = String.valueOf(((JavascriptExecutor) driver).executeScript(
            "const c = document.querySelector('[data-map=tau] canvas:not(.overlay)').getContext('2d');"
                + "return [c.getImageData(2, 1, 1, 1).data, c.getImageData(1, 1, 1, 1).data].map(d => d.slice(0, 3).join(',')).join(' ');"));
        String[] rgb = pixels.split(" ");
        assertEquals("128,128,128", rgb[0], "the imprecise position (1, 2) is grey");
        assertFalse(rgb[1].equals("128,128,128"), "a reliable one is coloured: " + rgb[1]);
    }

    @Test
    void brushingTheScatterOutlinesItsPositionsOnTheMaps() throws IOException, InterruptedException {
        open();
        WebElement scatter = driver.findElement(By.cssSelector("#scatter canvas.overlay"));
        org.openqa.selenium.Rectangle r = scatter.getRect();
        // Corner to corner across the whole plot: every plotted position is inside.
        new Actions(driver).moveToElement(scatter, -r.getWidth() / 2 + 2, -r.getHeight() / 2 + 2).clickAndHold()
            .moveToElement(scatter, r.getWidth() / 2 - 2, r.getHeight() / 2 - 2).release().perform();
        SavedAnalysis coldFile = ResultsFile.read(cold);
        HeterogeneityMaps m = coldFile.maps();
        int plotted = 0;
        for (int y = 0; y < m.scanY(); y++) {
            for (int x = 0; x < m.scanX(); x++) {
                if (m.fitStatus(y, x).isReliable() && Double.isFinite(m.speckleVariance().get(y, x))) {
                    plotted++;
                }
            }
        }
        assertTrue(plotted > 10, "the simulated maps have reliable positions to plot: " + plotted);
        WebElement clear = driver.findElement(By.id("clear-brush"));
        assertEquals("clear outline (" + plotted + " positions)", clear.getText());
        screenshot("explorer-brushed.png");
        clear.click();
        assertEquals("clear outline", clear.getText());
        Object scale = ((JavascriptExecutor) driver).executeScript(
            "const s = document.getElementById('scale'); s.value = 'linear'; s.dispatchEvent(new Event('change'));"
                + "return document.querySelector('[data-map=tau] .colorbar').textContent;");
        assertFalse(String.valueOf(scale).contains("(log)"), "the τ colour bar turns linear: " + scale);
    }
}
