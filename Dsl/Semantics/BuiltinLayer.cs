using System;
using System.Collections.Generic;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Semantics;

/// <summary>A layer the language knows by name: its parameters in positional order, how many
/// of them are required, and how to build its spec from the arguments given.</summary>
public sealed record BuiltinLayer(
    string Name,
    IReadOnlyList<string> Parameters,
    int RequiredCount,
    string Signature,
    Func<BoundArguments, LayerSpec?> Build);
