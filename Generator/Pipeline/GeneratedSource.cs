namespace CnnDsl.Generator.Pipeline;

/// <summary>The class of one model: the file name it is added under (unique within its .cnn
/// file; <see cref="HintNames"/> makes it unique in the compilation), its text, the class's full
/// name, and where the model's name is written (for a clash with another file's class).</summary>
public sealed record GeneratedSource(string HintName, string Text)
{
    /// <summary>The model's name in the .cnn file.</summary>
    public string Model { get; init; } = "";

    public string FullClassName { get; init; } = "";

    /// <summary>Which part of the (partial) class this is: empty for the model itself, "export"
    /// for its export to ONNX and PyTorch. A class made twice is one error, at its model part;
    /// its other parts are left out with it.</summary>
    public string Part { get; init; } = "";

    public LocationInfo? ModelName { get; init; }
}
