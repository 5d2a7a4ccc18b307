using CnnDsl.Dsl.Analysis;

namespace CnnDsl.Cli.Rendering;

/// <summary>A receptive field as the summary table shows it: <c>size / stride</c>, e.g. <c>212 / 32</c>;
/// <c>global</c> once every output sees the whole input (after a linear or global pool).</summary>
public static class ReceptiveFieldText
{
    public static string Format(ReceptiveField field) =>
        field.Global ? "global" : $"{field.Size} / {field.Stride}";
}
