using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using CnnDsl.Runtime.Training;

namespace CnnDsl.Cli.Training;

/// <summary><c>--log FILE.csv</c> or <c>FILE.jsonl</c>: one row per epoch, flushed as each epoch
/// ends (so a run stopped part-way keeps its rows). A resumed run appends.</summary>
public sealed class TrainingLog : IDisposable
{
    private static readonly string[] Columns =
        { "epoch", "lr", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "val_top5_accuracy", "seconds", "images_per_second", "data_wait_fraction" };

    private readonly StreamWriter writer;
    private readonly bool json;

    private TrainingLog(StreamWriter writer, bool json)
    {
        this.writer = writer;
        this.json = json;
    }

    /// <summary>Whether a path names a format the log can write.</summary>
    public static string? Problem(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".csv" or ".jsonl" ? null : $"--log takes a file ending in .csv or .jsonl, not '{path}'";
    }

    public static TrainingLog Open(string path, bool append)
    {
        var json = Path.GetExtension(path).Equals(".jsonl", StringComparison.OrdinalIgnoreCase);
        var exists = append && File.Exists(path) && new FileInfo(path).Length > 0;
        var writer = new StreamWriter(path, append, new UTF8Encoding(false)) { NewLine = "\n" };
        if (!json && !exists) writer.WriteLine(string.Join(",", Columns));
        writer.Flush();
        return new TrainingLog(writer, json);
    }

    public void Write(EpochMetrics m, double learningRate)
    {
        var values = new object?[]
        {
            m.Epoch, learningRate, m.TrainLoss, m.TrainAccuracy, m.Validation?.Loss, m.Validation?.Accuracy, m.Validation?.Top5Accuracy,
            m.Duration.TotalSeconds, m.SamplesPerSecond, m.DataWaitFraction,
        };
        if (json)
        {
            using var memory = new MemoryStream();
            using (var w = new Utf8JsonWriter(memory))
            {
                w.WriteStartObject();
                for (var i = 0; i < Columns.Length; i++)
                {
                    switch (values[i])
                    {
                        case int whole:
                            w.WriteNumber(Columns[i], whole);
                            break;
                        case double d when double.IsFinite(d):
                            w.WriteNumber(Columns[i], d);
                            break;
                        default:
                            w.WriteNull(Columns[i]);
                            break;
                    }
                }

                w.WriteEndObject();
            }

            writer.WriteLine(Encoding.UTF8.GetString(memory.ToArray()));
        }
        else
        {
            writer.WriteLine(string.Join(",", Array.ConvertAll(values, v => v switch
            {
                int whole => whole.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                _ => "",
            })));
        }

        writer.Flush();
    }

    public void Dispose() => writer.Dispose();
}
