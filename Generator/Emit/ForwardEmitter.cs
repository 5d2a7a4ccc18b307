using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;

namespace CnnDsl.Generator.Emit;

/// <summary>Writes a straight-line forward pass: one statement per layer, branch join or
/// addition, with the output shape in a comment. Every intermediate tensor is released right
/// after its last use: a run of layers reuses one variable through <c>Advance</c>, and where
/// branches keep several tensors alive each is disposed as soon as nothing reads it any more.</summary>
internal sealed class ForwardEmitter
{
    private const string Input = "input";

    private readonly List<Statement> _statements = new();
    private readonly List<(string Name, string Value)> _auxiliary = new();
    private readonly bool _withAuxiliary;
    private readonly HashSet<string> _skipped;
    private readonly Dictionary<string, LayerInfo> _producers = new();
    private readonly ClassMemberNames _names;
    private int _values;

    private ForwardEmitter(ClassMemberNames names, bool withAuxiliary, IReadOnlyCollection<string> skipped)
    {
        _names = names;
        _withAuxiliary = withAuxiliary;
        // A set: a list's Contains made the folded forward of a model with n batch norms cost n^2.
        _skipped = new HashSet<string>(skipped, StringComparer.Ordinal);
    }

    /// <summary>The body of <c>forward</c> (auxiliary heads skipped) or, with
    /// <paramref name="withAuxiliary"/>, of the method that also returns the heads' outputs.
    /// Layers at the <paramref name="skipped"/> paths are left out (batch norm folded away).</summary>
    public static void Emit(CodeWriter w, LayerInfo root, ClassMemberNames names, bool withAuxiliary, IReadOnlyCollection<string>? skipped = null)
    {
        var emitter = new ForwardEmitter(names, withAuxiliary, skipped ?? System.Array.Empty<string>());
        var output = emitter.Sequence(root.Children, Input);
        var keep = new HashSet<string> { output };
        foreach (var (_, value) in emitter._auxiliary) keep.Add(value);
        var variable = emitter.Render(w, keep);
        if (withAuxiliary)
        {
            w.Line($"return ({variable[output]}, {string.Join(", ", emitter._auxiliary.Select(a => variable[a.Value]))});");
        }
        else
        {
            w.Line($"return {variable[output]};");
        }
    }

    /// <summary>Names of the auxiliary heads in forward order (their labels).</summary>
    public static IReadOnlyList<LayerInfo> AuxiliaryHeads(LayerInfo root) =>
        root.DescendantsAndSelf().Where(n => n.Kind == NodeKind.Auxiliary).ToList();

    private string Sequence(IEnumerable<LayerInfo> nodes, string value)
    {
        foreach (var node in nodes) value = Node(node, value);
        return value;
    }

    private string Node(LayerInfo node, string value)
    {
        switch (node.Kind)
        {
            case NodeKind.Layer when _skipped.Contains(node.Path):
                return value;
            case NodeKind.Layer when InPlace.MethodOf(node) is { } method && _producers.TryGetValue(value, out var producer) && InPlace.MayOverwriteOutputOf(producer):
                // In place, as torchvision does, where Render finds the layer the tensor's only
                // reader: allocating a fresh copy of a large activation costs page faults
                // (benchmarks/RESULTS.md).
                var result = Add($"{_names.Field(node.Path)}.call({value})", new[] { value }, Comment(node));
                _statements[_statements.Count - 1] = _statements[_statements.Count - 1] with { InPlace = method + "()" };
                return Track(result, node);
            case NodeKind.Layer:
                return Track(Add($"{_names.Field(node.Path)}.call({value})", new[] { value }, Comment(node)), node);
            case NodeKind.Group:
                return Sequence(node.Children, value);
            case NodeKind.Merge:
                return Merge(node, value);
            case NodeKind.Auxiliary:
                if (_withAuxiliary) _auxiliary.Add((node.Name, Sequence(node.Children, value)));
                return value;
            default:
                throw new System.InvalidOperationException($"no forward statement for a node of kind {node.Kind} at `{node.Path}`");
        }
    }

    /// <summary>Each branch on its part of the merge's input (the whole input, or a channel chunk:
    /// a view, freed at its last use like any value), then the merge's own operation; accumulated
    /// into the first branch's output (<c>add_</c>, as torchvision does) where autograd allows it.</summary>
    private string Merge(LayerInfo node, string value)
    {
        var structure = node.Structure!;
        var merge = structure.Merge;
        var operation = structure.Name == merge.Name ? merge.Name : structure.Name + " " + merge.Name;
        var inputs = structure.Inputs.Apply(CSharpTensorAlgebra.Instance, value, node.Input, node.Branches.Count);
        var parts = node.Branches.Select((branch, i) => Sequence(branch, BranchInput(node, inputs[i], value, i))).ToList();
        if (InPlace.MayAccumulateInto(node) && parts.Count == 2)
        {
            _statements.Add(new Statement(null, $"{parts[0]}.{merge.AccumulateMethod}({parts[1]});", parts, Comment(node, operation)) { Overwrites = parts[0] });
            _producers[parts[0]] = node;
            return parts[0];
        }

        return Track(Add(merge.Apply(CSharpTensorAlgebra.Instance, parts), parts, Comment(node, operation)), node);
    }

    /// <summary>The value a branch starts from: the merge's input itself, or a statement that takes
    /// the branch's part of it.</summary>
    private string BranchInput(LayerInfo node, string expression, string value, int branch)
    {
        if (expression == value) return value;
        var inputs = node.Structure!.Inputs;
        var (start, length) = inputs.Channels(node.Input, node.Branches.Count)[branch];
        var shape = inputs.Shapes(node.Input, node.Branches.Count).Inputs![branch];
        var where = node.Transparent ? (node.Path.Length == 0 ? "" : node.Path + ": ") : node.Path + ": ";
        return Add(expression, new[] { value }, FormattableString.Invariant($"{where}{node.Structure.Name} channels {start}..{start + length - 1} -> {shape}"));
    }

    private string Track(string value, LayerInfo producer)
    {
        _producers[value] = producer;
        return value;
    }

    private string Add(string expression, IReadOnlyList<string> uses, string comment)
    {
        var value = "v" + (_values++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _statements.Add(new Statement(value, expression, uses, comment));
        return value;
    }

    private static string Comment(LayerInfo node, string? operation = null)
    {
        var where = node.Transparent ? (node.Path.Length == 0 ? "" : node.Path + ": ") : node.Path + ": ";
        return $"{where}{operation ?? node.TypeName} -> {node.Output}";
    }

    /// <summary>Maps each value to a variable, reusing the variable of a value that dies in the
    /// statement that consumes it, and disposes the others at their last use.</summary>
    private Dictionary<string, string> Render(CodeWriter w, HashSet<string> keep)
    {
        var lastUse = new Dictionary<string, int>();
        var readers = new Dictionary<string, int>();
        for (var i = 0; i < _statements.Count; i++)
        {
            foreach (var use in _statements[i].Uses) lastUse[use] = i;
            foreach (var use in _statements[i].Uses.Distinct().Where(u => u != _statements[i].Overwrites))
            {
                readers[use] = readers.TryGetValue(use, out var n) ? n + 1 : 1;
            }
        }

        bool Dies(string value, int at) => value != Input && !keep.Contains(value) && lastUse.TryGetValue(value, out var last) && last == at;

        var variable = new Dictionary<string, string> { [Input] = Input };
        var declared = new List<string>();
        var free = new Stack<string>();
        var lines = new List<(string Code, string Comment)>();

        for (var i = 0; i < _statements.Count; i++)
        {
            var statement = _statements[i];
            var expression = statement.Uses.Aggregate(statement.Expression, (text, use) => Substitute(text, use, variable[use]));
            var dying = statement.Uses.Distinct().Where(u => Dies(u, i)).ToList();
            if (statement.InPlace is not null && dying.Count == 1 && readers[dying[0]] == 1)
            {
                // Nothing else reads the input, before or after: change it in place and let the result keep its variable.
                var name = variable[dying[0]];
                variable[statement.Value!] = name;
                lines.Add(($"{name}.{statement.InPlace};", statement.Comment));
                continue;
            }

            if (statement.Value is null)
            {
                lines.Add((expression, statement.Comment));
            }
            else if (statement.Uses.Count == 1 && dying.Count == 1)
            {
                // A run of layers: the new value takes its input's variable.
                var name = variable[dying[0]];
                variable[statement.Value] = name;
                lines.Add(($"{name} = Advance({expression}, {name});", statement.Comment));
                continue;
            }
            else
            {
                string name;
                if (free.Count > 0)
                {
                    name = free.Pop();
                    lines.Add(($"{name} = {expression};", statement.Comment));
                }
                else
                {
                    name = declared.Count == 0 ? "x" : "x" + declared.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    declared.Add(name);
                    lines.Add(($"{ClassMemberNames.LocalType} {name} = {expression};", statement.Comment));
                }

                variable[statement.Value] = name;
            }

            foreach (var value in dying)
            {
                lines.Add(($"{variable[value]}.Dispose();", ""));
                free.Push(variable[value]);
            }
        }

        var width = lines.Where(l => l.Comment.Length > 0).Select(l => l.Code.Length).DefaultIfEmpty(0).Max();
        foreach (var (code, comment) in lines)
        {
            w.Line(comment.Length == 0 ? code : code + new string(' ', width - code.Length + 1) + "// " + comment);
        }

        return variable;
    }

    /// <summary>Replaces a value's placeholder name (v12) by its variable, whole words only.</summary>
    private static string Substitute(string text, string value, string name)
    {
        // Not Regex.Replace: its pattern differs for each value, so it would build a regular
        // expression per statement, the generator's largest cost per layer.
        var at = text.IndexOf(value, StringComparison.Ordinal);
        if (at < 0) return text;
        var result = new System.Text.StringBuilder(text.Length + name.Length);
        var copied = 0;
        for (; at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            var end = at + value.Length;
            if ((at > 0 && IsWordCharacter(text[at - 1])) || (end < text.Length && IsWordCharacter(text[end]))) continue;
            result.Append(text, copied, at - copied).Append(name);
            copied = end;
        }

        return result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>A character of a C# name as the generator writes them (fields are ASCII).</summary>
    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>One line of the forward pass. <see cref="InPlace"/> names the in-place form of the
    /// operation (<c>relu_()</c>), used when nothing reads the input afterwards.</summary>
    private sealed record Statement(string? Value, string Expression, IReadOnlyList<string> Uses, string Comment)
    {
        public string? InPlace { get; init; }

        /// <summary>The value an in-place statement turns into its result: from then on the
        /// value's name stands for the result, so this statement is not one of its readers.</summary>
        public string? Overwrites { get; init; }
    }
}
