using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests.Reference;

/// <summary>Thrown by <see cref="WeightTransfer.CopyByName"/> when the two state_dicts do not
/// have the same keys with the same shapes and dtypes. Nothing has been copied when it is thrown.</summary>
public sealed class StateDictMismatchException : InvalidOperationException
{
    public StateDictMismatchException(string message, string firstMismatchKey, IReadOnlyList<string> missingInTarget,
        IReadOnlyList<string> missingInSource, IReadOnlyList<string> shapeMismatches)
        : base(message)
    {
        FirstMismatchKey = firstMismatchKey;
        MissingInTarget = missingInTarget;
        MissingInSource = missingInSource;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>The first offending key, walking the source's state_dict in order, then the
    /// target's keys that the source lacks.</summary>
    public string FirstMismatchKey { get; }

    public IReadOnlyList<string> MissingInTarget { get; }

    public IReadOnlyList<string> MissingInSource { get; }

    /// <summary>Keys present on both sides whose shape or dtype differ, with both descriptions.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }
}

/// <summary>Moves weights between two modules that follow the same naming (a generated model and
/// its hand-written reference) and compares outputs.</summary>
public static class WeightTransfer
{
    /// <summary>Copies every state_dict entry of <paramref name="source"/> (parameters and buffers:
    /// BN running mean/var and num_batches_tracked included) into the tensor of the same key in
    /// <paramref name="target"/>, in place, under no_grad. Both sides must have exactly the same
    /// keys with the same shapes and dtypes; otherwise nothing is copied and a
    /// <see cref="StateDictMismatchException"/> lists every difference.</summary>
    public static void CopyByName(nn.Module source, nn.Module target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);

        var from = source.state_dict();
        var to = target.state_dict();

        string? first = null;
        var missingInTarget = new List<string>();
        var missingInSource = new List<string>();
        var shapeMismatches = new List<string>();

        foreach (var (key, s) in from)
        {
            if (!to.TryGetValue(key, out var t))
            {
                missingInTarget.Add(key);
                first ??= key;
            }
            else if (!s.shape.SequenceEqual(t.shape) || s.dtype != t.dtype)
            {
                shapeMismatches.Add($"{key}: source {Describe(s)}, target {Describe(t)}");
                first ??= key;
            }
        }
        foreach (var key in to.Keys)
        {
            if (!from.ContainsKey(key))
            {
                missingInSource.Add(key);
                first ??= key;
            }
        }

        if (first is not null)
        {
            var message = new StringBuilder()
                .Append("CopyByName: the state_dicts do not match (source ").Append(Name(source))
                .Append(", ").Append(from.Count).Append(" keys; target ").Append(Name(target))
                .Append(", ").Append(to.Count).Append(" keys). First mismatching key: '").Append(first).Append("'.");
            AppendList(message, "Shape/dtype mismatches", shapeMismatches);
            AppendList(message, "Missing in target", missingInTarget);
            AppendList(message, "Missing in source", missingInSource);
            throw new StateDictMismatchException(message.ToString(), first, missingInTarget, missingInSource, shapeMismatches);
        }

        using var noGrad = torch.no_grad();
        foreach (var (key, s) in from)
            to[key].copy_(s);
    }

    /// <summary>max |a - b| over all elements, as a double (0 for identical tensors).</summary>
    public static double MaxAbsDifference(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"Shapes differ: [{string.Join(", ", a.shape)}] vs [{string.Join(", ", b.shape)}].");
        if (a.numel() == 0) return 0;

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).abs().max().item<double>();
    }

    private static string Describe(Tensor t) => $"[{string.Join(", ", t.shape)}] {t.dtype}";

    private static string Name(nn.Module m) => m.GetType().Name;

    private static void AppendList(StringBuilder message, string title, List<string> items)
    {
        if (items.Count == 0) return;
        const int shown = 20;
        message.Append(' ').Append(title).Append(" (").Append(items.Count).Append("): ")
            .Append(string.Join(", ", items.Take(shown)));
        if (items.Count > shown) message.Append(", ... (").Append(items.Count - shown).Append(" more)");
        message.Append('.');
    }
}
