using System.Collections.Generic;
using CnnDsl.Dsl.Analysis;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CnnDsl.Cli.Rendering;

/// <summary>The per-layer table of <c>cnn summary</c>: one row per layer or group, indented by
/// depth, with type, output shape, parameters, multiply-adds and receptive field.</summary>
public static class SummaryTable
{
    private const string Indent = "  ";

    public static Table Build(ModelInfo model, int? maxDepth)
    {
        var table = new Table()
            .Border(TableBorder.Rounded)
            .BorderColor(Color.Grey)
            .ShowFooters();
        table.AddColumn(new TableColumn(new Markup("[bold]Layer[/]")).Footer(new Markup("[bold]Total[/]")));
        table.AddColumn(new TableColumn(new Markup("[bold]Type[/]")));
        table.AddColumn(new TableColumn(new Markup("[bold]Output shape[/]")));
        table.AddColumn(new TableColumn(new Markup("[bold]Parameters[/]"))
            .RightAligned()
            .Footer(new Markup($"[bold]{Numbers.Grouped(model.Parameters)}[/]")));
        table.AddColumn(new TableColumn(new Markup("[bold]Multiply-adds[/]"))
            .RightAligned()
            .Footer(new Markup($"[bold]{Numbers.Grouped(model.MultiplyAdds)}[/]")));
        table.AddColumn(new TableColumn(new Markup("[bold]Receptive field[/]\n[grey]size / stride[/]")).RightAligned());

        table.AddRow(
            new Markup("[grey]input[/]"),
            Text.Empty,
            new Text(model.Input.ToString()),
            Text.Empty,
            Text.Empty,
            Text.Empty);

        foreach (var layer in VisibleLayers.Of(model, maxDepth))
        {
            table.AddRow(Row(layer, VisibleLayers.IsExpanded(layer, maxDepth)));
        }

        return table;
    }

    private static IEnumerable<IRenderable> Row(LayerInfo layer, bool expanded)
    {
        yield return Name(layer);
        yield return layer.IsGroup
            ? new Markup($"[blue]{Markup.Escape(layer.TypeName)}[/]")
            : new Text(layer.TypeName);
        yield return new Text(layer.Output.ToString());
        // An expanded group's totals would repeat its children's: leave them to the totals row.
        yield return expanded ? Text.Empty : Count(layer.Parameters);
        yield return expanded ? Text.Empty : Count(layer.MultiplyAdds);
        yield return new Text(ReceptiveFieldText.Format(layer.ReceptiveField));
    }

    private static IRenderable Name(LayerInfo layer)
    {
        var indent = new string(' ', layer.Depth * Indent.Length);
        var cut = layer.Path.Length - layer.Name.Length;
        var parent = Markup.Escape(layer.Path.Substring(0, cut));
        var own = Markup.Escape(layer.Path.Substring(cut));
        return layer.IsGroup
            ? new Markup($"{indent}[grey]{parent}[/][bold]{own}[/]")
            : new Markup($"{indent}[grey]{parent}[/]{own}");
    }

    private static IRenderable Count(long value) =>
        value == 0 ? new Markup("[grey]-[/]") : new Text(Numbers.Grouped(value));
}
