using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Runtime.Data;
using CnnDsl.Runtime.Training;
using ScottPlot;

namespace CnnDsl.Cli.Training;

/// <summary>The pictures of a run (ScottPlot): loss and accuracy per epoch, and a confusion
/// matrix. Written beside the checkpoint they describe.</summary>
public static class TrainingPlots
{
    /// <summary><c>a.ckpt</c> gives <c>a.curves.png</c>.</summary>
    public static string CurvesPath(string checkpointPath) => Beside(checkpointPath, ".curves.png");

    /// <summary><c>a.ckpt</c> gives <c>a.confusion.png</c> (or <c>a.confusion-train.png</c> for another part than test).</summary>
    public static string ConfusionPath(string checkpointPath, string part) =>
        Beside(checkpointPath, part == "test" ? ".confusion.png" : $".confusion-{part}.png");

    /// <summary>Two panels: the training and validation loss, and the training and validation
    /// accuracy (%), per epoch; the best epoch marked.</summary>
    public static void WriteCurves(string path, string title, IReadOnlyList<EpochRecord> history, int bestEpoch)
    {
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var loss = multiplot.GetPlot(0);
        var accuracy = multiplot.GetPlot(1);
        Series(loss, epochs, history.Select(h => h.TrainLoss), "training", Colors.C0);
        Series(loss, epochs, history.Select(h => h.ValidationLoss ?? double.NaN), "validation", Colors.C1);
        Series(accuracy, epochs, history.Select(h => 100 * h.TrainAccuracy), "training", Colors.C0);
        Series(accuracy, epochs, history.Select(h => 100 * (h.ValidationAccuracy ?? double.NaN)), "validation", Colors.C1);
        foreach (var (plot, name) in new[] { (loss, "loss"), (accuracy, "accuracy (%)") })
        {
            plot.Axes.Bottom.Label.Text = "epoch";
            plot.Axes.Left.Label.Text = name;
            plot.Title($"{title}: {name}");
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            if (bestEpoch > 0 && history.Any(h => h.ValidationAccuracy is not null))
            {
                var line = plot.Add.VerticalLine(bestEpoch, 1, Colors.Gray);
                line.LinePattern = LinePattern.Dashed;
                line.LegendText = $"best (epoch {bestEpoch})";
            }

            plot.ShowLegend(name == "loss" ? Alignment.UpperRight : Alignment.LowerRight);
        }

        Save(path, file => multiplot.SavePng(file, 1200, 450));
    }

    /// <summary>The confusion matrix as a heat map of each true class's share (rows sum to
    /// 100%), true classes down, predicted across, with the counts written in the cells when
    /// there are at most 20 classes.</summary>
    public static void WriteConfusion(string path, string title, Evaluation evaluation, IReadOnlyList<string> classNames)
    {
        var n = evaluation.Confusion.GetLength(0);
        var shares = new double[n, n];
        for (var t = 0; t < n; t++)
        {
            var total = evaluation.ClassTotal(t);
            for (var p = 0; p < n; p++) shares[t, p] = total == 0 ? double.NaN : 100.0 * evaluation.Confusion[t, p] / total;
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(shares);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 100);
        // Cell centres at whole coordinates; the y axis runs downwards (row 0 on top, as the
        // table prints it), so the rows are flipped to put cell [t, p] at (p, t).
        heatmap.Extent = new CoordinateRect(0, n - 1, n - 1, 0);
        heatmap.FlipVertically = true;
        plot.Add.ColorBar(heatmap).Label = "share of the true class (%)";
        if (n <= 20)
        {
            for (var t = 0; t < n; t++)
            {
                for (var p = 0; p < n; p++)
                {
                    var count = evaluation.Confusion[t, p];
                    if (count == 0) continue;
                    var text = plot.Add.Text(count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), p, t);
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelFontColor = shares[t, p] > 60 ? Colors.Black : Colors.White;
                    text.LabelFontSize = n <= 10 ? 14 : 10;
                }
            }
        }

        var ticks = Enumerable.Range(0, n).Select(i => new Tick(i, Shorten(classNames.Count > i ? classNames[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToArray();
        if (n <= 40)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        }

        plot.Axes.SetLimits(-0.5, n - 0.5, n - 0.5, -0.5);
        plot.Axes.Bottom.Label.Text = "predicted class";
        plot.Axes.Left.Label.Text = "true class";
        plot.Title($"{title}: top-1 {TrainingCli.Percent(evaluation.Accuracy)} of {TrainingCli.Count(evaluation.Count)}");
        Save(path, file => plot.SavePng(file, 760, 680));
    }

    private static void Series(Plot plot, double[] x, IEnumerable<double> y, string name, Color color)
    {
        var values = y.ToArray();
        if (values.All(double.IsNaN)) return;
        var line = plot.Add.Scatter(x, values, color);
        line.LegendText = name;
        line.MarkerSize = x.Length <= 30 ? 6 : 0;
    }

    private static string Shorten(string name) => name.Length <= 12 ? name : name.Substring(0, 11) + "…";

    private static string Beside(string checkpointPath, string suffix)
    {
        var extension = Path.GetExtension(checkpointPath);
        var stem = extension.Length == 0 ? checkpointPath : checkpointPath.Substring(0, checkpointPath.Length - extension.Length);
        return stem + suffix;
    }

    /// <summary>Renders to a temporary file renamed into place (named as <see cref="AtomicFile"/>
    /// names its own, so that one a killed run left is removed the same way), so that a reader
    /// never sees half a PNG.</summary>
    private static void Save(string path, Action<string> render)
    {
        var full = Path.GetFullPath(path);
        AtomicFile.RemoveAbandoned(full);
        var temp = AtomicFile.TemporaryPath(full);
        try
        {
            render(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
