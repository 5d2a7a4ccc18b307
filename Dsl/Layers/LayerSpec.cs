namespace CnnDsl.Dsl.Layers;

/// <summary>A layer as the author configured it. Each kind knows its own shape rule and cost;
/// everything else (generator, runtime, summaries) asks it rather than re-deriving.</summary>
public abstract record LayerSpec
{
    /// <summary>The name the .cnn language uses: <c>conv</c>, <c>maxpool</c>, ...</summary>
    public abstract string Kind { get; }

    /// <summary>The PyTorch/TorchSharp module this becomes, for display: <c>Conv2d</c>, ...</summary>
    public abstract string ModuleType(Shape input);

    public abstract LayerOutcome Infer(Shape input);

    /// <summary>A short rendering of the configuration, for summaries: <c>64, 3x3, stride 1</c>.</summary>
    public abstract string Describe();

    protected static LayerOutcome NeedsImage(string kind, Shape input) =>
        LayerOutcome.Fail(Diagnostics.DiagnosticCodes.NeedsSpatialInput,
            $"{kind} needs a CxHxW input but receives {input} features",
            "move it before flatten, or use a layer that works on features");
}
