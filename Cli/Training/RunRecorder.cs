using System.Collections.Generic;
using CnnDsl.Runtime.Training;

namespace CnnDsl.Cli.Training;

/// <summary>Passes each event to the display and, after each epoch, appends the log row and
/// redraws the curves, so that both are current whenever the run stops.</summary>
public sealed class RunRecorder : ITrainingMonitor
{
    private readonly ITrainingMonitor display;
    private readonly TrainingOptions options;
    private readonly TrainingLog? log;
    private readonly string? curvesPath;
    private readonly string title;
    private readonly List<EpochRecord> history;
    private int bestEpoch;

    public RunRecorder(ITrainingMonitor display, TrainingOptions options, TrainingLog? log, string? curvesPath, string title, IReadOnlyList<EpochRecord> earlier, int earlierBest)
    {
        this.display = display;
        this.options = options;
        this.log = log;
        this.curvesPath = curvesPath;
        this.title = title;
        history = new List<EpochRecord>(earlier);
        bestEpoch = earlierBest;
    }

    /// <summary>Whether the curves were drawn at least once.</summary>
    public bool CurvesWritten { get; private set; }

    public void EpochStarted(int epoch, int epochs, long batches, long samples) => display.EpochStarted(epoch, epochs, batches, samples);

    public void BatchCompleted(int epoch, long batch, long batches, long samplesSoFar, double runningLoss, double runningAccuracy, double samplesPerSecond) =>
        display.BatchCompleted(epoch, batch, batches, samplesSoFar, runningLoss, runningAccuracy, samplesPerSecond);

    public void EpochCompleted(EpochMetrics metrics, bool best)
    {
        history.Add(metrics.ToRecord());
        if (best) bestEpoch = metrics.Epoch;
        log?.Write(metrics, options.LearningRateAt(metrics.Epoch));
        if (curvesPath is not null)
        {
            TrainingPlots.WriteCurves(curvesPath, title, history, bestEpoch);
            CurvesWritten = true;
        }

        display.EpochCompleted(metrics, best);
    }
}
