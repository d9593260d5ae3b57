/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation.internal;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Least-squares fits of a circle or an ellipse to points on a ring (the halo ridge).
 *
 * <p>Circle: geometric fit (Gauss–Newton on the distances to the circle, started from the mean
 * distance to the given start), unbiased for points with isotropic scatter. Ellipse: the linear
 * conic fit {@code A u² + B uv + C v² + D u + E v = 1} in coordinates relative to a start point
 * and scaled by the ring radius, whose bias is second order in the points' scatter (below 10⁻³ px
 * for ridge points scattered by 0.1 px on a ring of 20 px). The linear algebra is commons-math's
 * QR decomposition.
 *
 * <p>Results: {@code {centreY, centreX, a, b, angle}} with {@code a ≥ b} the semi-axes in pixels
 * ({@code a = b = R} for the circle) and the major axis angle in radians from +x towards +y, in
 * [0, π).
 */
public final class RingFit {

    private RingFit() {
    }

    /**
     * @param ys point rows. Not modified.
     * @param xs point columns. Not modified.
     * @param use which points to use (null: all). Not modified.
     * @param cy start row
     * @param cx start column
     * @return {centreY, centreX, R, R, 0}, or null if the fit fails
     */
    public static double[] circle(double[] ys, double[] xs, boolean[] use, double cy, double cx) {
        int n = count(use, ys.length);
        if (n < 3) {
            return null;
        }
        double y0 = cy;
        double x0 = cx;
        double r = 0;
        for (int k = 0; k < ys.length; k++) {
            if (use == null || use[k]) {
                r += Math.hypot(ys[k] - y0, xs[k] - x0);
            }
        }
        r /= n;
        for (int iter = 0; iter < 50; iter++) {
            // Normal equations of the 3-parameter Gauss–Newton step (small, well conditioned).
            double[][] jtj = new double[3][3];
            double[] jtr = new double[3];
            for (int k = 0; k < ys.length; k++) {
                if (use != null && !use[k]) {
                    continue;
                }
                double dy = ys[k] - y0;
                double dx = xs[k] - x0;
                double d = Math.hypot(dy, dx);
                if (d == 0) {
                    return null;
                }
                double[] j = {-dy / d, -dx / d, -1};
                double res = d - r;
                for (int a = 0; a < 3; a++) {
                    jtr[a] += j[a] * res;
                    for (int b = 0; b < 3; b++) {
                        jtj[a][b] += j[a] * j[b];
                    }
                }
            }
            double[] step = leastSquares(new DMatrixRMaj(jtj), jtr);
            if (step == null) {
                return null;
            }
            y0 -= step[0];
            x0 -= step[1];
            r -= step[2];
            if (Math.abs(step[0]) + Math.abs(step[1]) + Math.abs(step[2]) < 1e-12 * Math.max(1, r)) {
                break;
            }
        }
        if (!(r > 0) || !Double.isFinite(y0) || !Double.isFinite(x0)) {
            return null;
        }
        return new double[] {y0, x0, r, r, 0};
    }

    /**
     * @param ys point rows. Not modified.
     * @param xs point columns. Not modified.
     * @param use which points to use (null: all). Not modified.
     * @param cy a point inside the ring (the coordinates' origin)
     * @param cx a point inside the ring
     * @param scale the ring's approximate radius (conditioning)
     * @return {centreY, centreX, a, b, angle}, or null if the points do not determine an ellipse
     */
    public static double[] ellipse(double[] ys, double[] xs, boolean[] use, double cy, double cx, double scale) {
        int n = count(use, ys.length);
        if (n < 6) {
            return null;
        }
        double[][] m = new double[n][5];
        double[] ones = new double[n];
        int row = 0;
        for (int k = 0; k < ys.length; k++) {
            if (use != null && !use[k]) {
                continue;
            }
            double u = (xs[k] - cx) / scale;
            double v = (ys[k] - cy) / scale;
            m[row][0] = u * u;
            m[row][1] = u * v;
            m[row][2] = v * v;
            m[row][3] = u;
            m[row][4] = v;
            ones[row++] = 1;
        }
        double[] p = leastSquares(new DMatrixRMaj(m), ones);
        if (p == null) {
            return null;
        }
        double a = p[0];
        double b = p[1];
        double c = p[2];
        double d = p[3];
        double e = p[4];
        double det = 4 * a * c - b * b;
        if (!(det > 0)) {
            return null; // not an ellipse
        }
        // Centre: gradient of the quadratic part cancels the linear part: [2A B; B 2C] p = −[D; E].
        double uc = (-2 * c * d + b * e) / det;
        double vc = (b * d - 2 * a * e) / det;
        double k = 1 + a * uc * uc + b * uc * vc + c * vc * vc;
        if (!(k > 0)) {
            return null;
        }
        // Eigenvalues of [[A, B/2], [B/2, C]] / k: semi-axes 1/√λ.
        double mean = (a + c) / 2;
        double diff = Math.hypot((a - c) / 2, b / 2);
        double lSmall = (mean - diff) / k;
        double lLarge = (mean + diff) / k;
        if (!(lSmall > 0)) {
            return null;
        }
        double major = scale / Math.sqrt(lSmall);
        double minor = scale / Math.sqrt(lLarge);
        // Eigenvector of the smaller eigenvalue: direction of the major axis.
        double angle = 0.5 * Math.atan2(-b, c - a);
        // atan2 form: the quadratic form is smallest along angle θ with tan 2θ = B / (A − C);
        // check and flip by π/2 if that direction is the minor axis.
        double q = a * Math.cos(angle) * Math.cos(angle) + b * Math.cos(angle) * Math.sin(angle)
            + c * Math.sin(angle) * Math.sin(angle);
        if (q > mean + 1e-15 * Math.abs(mean)) {
            angle += Math.PI / 2;
        }
        angle = angle % Math.PI;
        if (angle < 0) {
            angle += Math.PI;
        }
        return new double[] {cy + vc * scale, cx + uc * scale, major, minor, angle};
    }

    /**
     * Solves {@code m·x = y} in the least-squares sense by Householder QR (EJML), exactly when m is square.
     *
     * @return x, or null when m is rank deficient (a zero pivot in R) or the solution is not finite
     */
    public static double[] leastSquares(DMatrixRMaj m, double[] y) {
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquares(m.numRows, m.numCols);
        if (!solver.setA(m) || !(solver.quality() > 0)) {
            return null;
        }
        DMatrixRMaj x = new DMatrixRMaj(m.numCols, 1);
        solver.solve(DMatrixRMaj.wrap(y.length, 1, y), x);
        for (double v : x.data) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        return x.data;
    }

    private static int count(boolean[] use, int length) {
        if (use == null) {
            return length;
        }
        int n = 0;
        for (boolean b : use) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
