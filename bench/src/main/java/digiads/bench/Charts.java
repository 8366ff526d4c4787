package digiads.bench;

import java.awt.*;
import java.io.IOException;
import java.util.*;
import java.util.List;

import org.HdrHistogram.*;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.*;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts under docs/: latency percentile plots and pipeline throughput over time. */
final class Charts {

    static final String LATENCY = "bench-latency.png";
    static final String CASCADE = "bench-cascade.png";
    static final String PIPELINE = "bench-pipeline.png";

    private static final Color OURS = new Color(0x1f77b4);
    private static final Color OURS_WARM = new Color(0x2ca02c);
    private static final Color BASELINE = new Color(0xd62728);
    private static final Color LIMIT = new Color(0x7f7f7f);

    private static final java.util.Map<XYChart, double[]> RANGES = new java.util.IdentityHashMap<>();

    private Charts() {
    }

    static void write(Config cfg, Results res) throws IOException {
        List<XYChart> latency = new ArrayList<>();
        for (int c : cfg.concurrency) {
            XYChart chart = percentileChart("getDigiAds, " + c + (c == 1 ? " client" : " clients")
                    + " (Deals " + cfg.dealsDelayMillis + " ms)");
            series(chart, "ours, cold cache", res.pooled("ours-cold@" + c), OURS, false);
            series(chart, "ours, warm cache", res.pooled("ours-warm@" + c), OURS_WARM, false);
            series(chart, "baseline (seed design)", res.pooled("baseline@" + c), BASELINE, false);
            series(chart, "getMetadata alone", res.pooled("metadata@" + c), LIMIT, true);
            latency.add(chart);
        }
        BitmapEncoder.saveBitmap(latency, 1, latency.size(), cfg.docs.resolve(LATENCY).toString(),
                BitmapEncoder.BitmapFormat.PNG);

        List<XYChart> cascade = new ArrayList<>();
        for (Results.Cascade row : res.cascade) {
            XYChart chart = percentileChart("Deals " + row.mode + ", " + cfg.cascadeClients + " clients");
            series(chart, "ours", row.ours.hist, OURS, false);
            series(chart, "baseline", row.baseline.hist, BASELINE, false);
            cascade.add(chart);
        }
        if (!cascade.isEmpty()) {
            int cols = Math.min(4, cascade.size());
            int rows = (cascade.size() + cols - 1) / cols;
            while (cascade.size() < rows * cols) {
                XYChart empty = percentileChart("");
                var st = empty.getStyler();
                st.setChartTitleVisible(false);
                st.setLegendVisible(false);
                st.setAxisTicksVisible(false);
                st.setPlotBorderVisible(false);
                st.setChartBackgroundColor(Color.WHITE);
                st.setPlotBackgroundColor(Color.WHITE);
                st.setPlotGridLinesVisible(false);
                empty.setXAxisTitle("");
                empty.setYAxisTitle("");
                XYSeries blank = empty.addSeries(" ", new double[] {0, 1}, new double[] {1, 1});
                blank.setLineColor(Color.WHITE);
                blank.setMarker(SeriesMarkers.NONE);
                cascade.add(empty);
            }
            BitmapEncoder.saveBitmap(cascade, rows, cols, cfg.docs.resolve(CASCADE).toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        }

        if (res.appBurst != null && res.limitBurst != null) {
            XYChart rate = new XYChartBuilder().width(640).height(400)
                    .title("Pipeline: " + res.appBurst.images + " images put at once").xAxisTitle("seconds since the first put")
                    .yAxisTitle("metadata items readable per second").build();
            style(rate);
            rateSeries(rate, "ours", res.appBurst, OURS);
            rateSeries(rate, "limit (plain SDK loop)", res.limitBurst, LIMIT);
            XYChart cumulative = new XYChartBuilder().width(640).height(400)
                    .title("Pipeline: images readable over time").xAxisTitle("seconds since the first put")
                    .yAxisTitle("images readable").build();
            style(cumulative);
            cumulativeSeries(cumulative, "ours", res.appBurst, OURS);
            cumulativeSeries(cumulative, "limit (plain SDK loop)", res.limitBurst, LIMIT);
            BitmapEncoder.saveBitmap(List.of(rate, cumulative), 1, 2, cfg.docs.resolve(PIPELINE).toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static XYChart percentileChart(String title) {
        XYChart chart = new XYChartBuilder().width(560).height(400).title(title).xAxisTitle("percentile")
                .yAxisTitle("latency (ms)").build();
        style(chart);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(3.0);
        // x is -log10(1 - p): 0 = 0 %, 1 = 90 %, 2 = 99 %, 3 = 99.9 %
        chart.setCustomXAxisTickLabelsFormatter(x -> {
            if (Math.abs(x - Math.rint(x)) > 0.01) {
                return "";
            }
            double p = 100 * (1 - Math.pow(10, -Math.rint(x)));
            return String.format(Locale.ROOT, "%." + Math.max(0, (int) Math.rint(x) - 2) + "f%%", p);
        });
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        return chart;
    }

    private static void style(XYChart chart) {
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideSE);
        st.setMarkerSize(0);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xdddddd));
        st.setLegendBackgroundColor(new Color(255, 255, 255, 200));
        st.setLegendBorderColor(new Color(0xcccccc));
    }

    private static void series(XYChart chart, String name, Histogram h, Color color, boolean dashed) {
        if (h == null || h.getTotalCount() == 0) {
            return;
        }
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        double maxX = Math.min(3.0, Math.log10(h.getTotalCount()));
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            double x = p >= 100 ? maxX : Math.min(maxX, -Math.log10(1 - p / 100));
            xs.add(x);
            ys.add(Math.max(0.01, v.getValueIteratedTo() / 1000.0));
            if (x >= maxX) {
                break;
            }
        }
        double[] range = RANGES.computeIfAbsent(chart, k -> new double[] {Double.MAX_VALUE, 0});
        for (double y : ys) {
            range[0] = Math.min(range[0], y);
            range[1] = Math.max(range[1], y);
        }
        // a log scale when the series span more than a decade and a half, else linear from 0
        boolean log = range[1] / Math.max(0.01, range[0]) > 30;
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(true);
        chart.getStyler().setYAxisMin(log ? null : 0.0);
        chart.setYAxisTitle(log ? "latency (ms, log scale)" : "latency (ms)");
        XYSeries s = chart.addSeries(name + " (n=" + h.getTotalCount() + ")", xs, ys);
        s.setLineColor(color);
        s.setMarker(SeriesMarkers.NONE);
        if (dashed) {
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        }
    }

    private static void rateSeries(XYChart chart, String name, Pipeline.Result r, Color color) {
        if (r.perSecond.isEmpty()) {
            return;
        }
        double[] xs = r.perSecond.stream().mapToDouble(a -> a[0] + 0.5).toArray();
        double[] ys = r.perSecond.stream().mapToDouble(a -> a[1]).toArray();
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setLineColor(color);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static void cumulativeSeries(XYChart chart, String name, Pipeline.Result r, Color color) {
        if (r.perSecond.isEmpty()) {
            return;
        }
        List<Double> xs = new ArrayList<>(List.of(0.0));
        List<Double> ys = new ArrayList<>(List.of(0.0));
        double sum = 0;
        for (double[] a : r.perSecond) {
            sum += a[1];
            xs.add(a[0] + 1);
            ys.add(sum);
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setLineColor(color);
        s.setMarker(SeriesMarkers.NONE);
    }
}
