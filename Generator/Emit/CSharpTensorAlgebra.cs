using System;
using System.Collections.Generic;
using CnnDsl.Dsl.Merges;

namespace CnnDsl.Generator.Emit;

/// <summary>A merge's tensor operations as C# expressions over TorchSharp, for the generated forward.</summary>
internal sealed class CSharpTensorAlgebra : ITensorAlgebra<string>
{
    public static CSharpTensorAlgebra Instance { get; } = new();

    public string Concatenate(IReadOnlyList<string> parts) => $"global::TorchSharp.torch.cat(new[] {{ {string.Join(", ", parts)} }}, 1)";

    public string Add(string left, string right) => $"{left}.add({right})";

    public string Multiply(string left, string right) => $"{left}.mul({right})";

    public string Narrow(string input, long start, long length) =>
        FormattableString.Invariant($"{input}.narrow(1, {start}, {length})");
}
