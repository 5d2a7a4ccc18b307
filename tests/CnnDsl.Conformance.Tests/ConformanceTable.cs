using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace CnnDsl.Conformance.Tests;

/// <summary>One line of tests/conformance/models.json: a model of a .cnn file and the torchvision
/// constructor that builds the same network, with the input and batch it is compared at.</summary>
public sealed record ConformanceEntry(
    string File, string Model, string Torchvision, IReadOnlyList<long> Input, int Batch, bool Train, IReadOnlyList<string> Auxiliary);

/// <summary>The conformance table, shared with make_references.py (copied beside the tests).</summary>
public static class ConformanceTable
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "conformance");

    public static IReadOnlyList<ConformanceEntry> Entries { get; } = Load();

    public static ConformanceEntry Get(string model) => Entries.Single(e => e.Model == model);

    /// <summary>Every model's name, as theory data.</summary>
    public static IEnumerable<object[]> Models => Entries.Select(e => new object[] { e.Model });

    private static IReadOnlyList<ConformanceEntry> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "models.json")));
        return document.RootElement.GetProperty("models").EnumerateArray().Select(e => new ConformanceEntry(
            e.GetProperty("file").GetString()!,
            e.GetProperty("model").GetString()!,
            e.GetProperty("torchvision").GetString()!,
            e.GetProperty("input").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
            e.GetProperty("batch").GetInt32(),
            e.TryGetProperty("train", out var train) && train.GetBoolean(),
            e.TryGetProperty("aux", out var aux) ? aux.EnumerateArray().Select(a => a.GetString()!).ToArray() : Array.Empty<string>())).ToList();
    }
}
