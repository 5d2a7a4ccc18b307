using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Merges;

namespace CnnDsl.Export.PyTorch;

/// <summary>Writes an analysed model as a Python module for PyTorch: a class per model deriving
/// <c>nn.Module</c>, each named group of the .cnn file (a block such as a ResNet bottleneck, a
/// labelled run such as <c>features</c>) a submodule (an <c>nn.Sequential</c> where its members
/// are numbered 0, 1, ... and run in order, otherwise a class of its own, one per distinct
/// block), and a straight-line forward with the shape after each step. Its <c>state_dict</c>
/// has the keys, shapes and element types of the C# class's, so weights move both ways:
/// <c>torch.save(model.state_dict(), "w.pth")</c> there, <c>--weights w.pth</c> or
/// <c>LoadWeights</c> here.</summary>
public static class PyTorchExporter
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
        "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
        "return", "try", "while", "with", "yield",
        // nn.Module's own members, which a submodule must not shadow.
        "training", "forward", "train", "eval", "parameters", "buffers", "children", "modules", "state_dict", "load_state_dict",
        "apply", "cuda", "cpu", "to", "type", "float", "double", "half", "zero_grad", "register_buffer", "register_parameter",
        "add_module", "named_modules", "named_parameters", "named_buffers", "named_children", "extra_repr", "requires_grad_", "get_submodule",
        "x", "heads", "self", "torch", "nn", "F",
    };

    /// <summary>The Python source of the model's module.</summary>
    /// <param name="model">The analysed model.</param>
    /// <param name="weights">The model's tensors, or null: only fixed buffers that are part of the
    /// architecture (LeNet-5's RBF codes) are read from them and written into the source; trained
    /// weights travel in a weights file.</param>
    /// <exception cref="ExportException">A layer kind or merge the exporter does not know.</exception>
    public static string Write(ModelInfo model, IReadOnlyDictionary<string, StateTensor>? weights = null) =>
        new Writer(model, weights).Write();

    private sealed class Writer
    {
        private readonly ModelInfo model;
        private readonly IReadOnlyDictionary<string, StateTensor>? weights;
        private readonly HashSet<string> support = new(StringComparer.Ordinal);
        private readonly List<string> classes = new();
        private readonly Dictionary<string, string> classByBody = new(StringComparer.Ordinal);
        private readonly HashSet<string> classNames = new(StringComparer.Ordinal);
        private int temporaries;

        public Writer(ModelInfo model, IReadOnlyDictionary<string, StateTensor>? weights)
        {
            this.model = model;
            this.weights = weights;
        }

        public string Write()
        {
            var top = ClassOf(model.Root, PythonName(model.Name), isModel: true);
            var text = new StringBuilder();
            text.Append("\"\"\"").Append(model.Name).Append(", exported by CnnDsl (`cnn export --pytorch`).\n\n")
                .Append(CultureInfo.InvariantCulture, $"Input: N x {model.Input} float32; output: N x {model.Output}. {model.Parameters:N0} parameters.\n")
                .Append("The state_dict has the keys, shapes and dtypes of the C# class's, so weights move both ways:\n")
                .Append("torch.save(model.state_dict(), \"w.pth\") here, `cnn ... --weights w.pth` or LoadWeights(\"w.pth\") in C#.\n")
                .Append("\"\"\"\n\nimport torch\nfrom torch import nn\nimport torch.nn.functional as F\n\n");
            text.Append("\n").Append(PythonSupport.Block).Append("\n");
            foreach (var (name, source) in PythonSupport.Classes.Where(c => support.Contains(c.Name)))
            {
                text.Append("\n\n").Append(source).Append("\n");
            }

            foreach (var body in classes) text.Append("\n\n").Append(body);
            text.Append(CultureInfo.InvariantCulture, $"\n\ndef create():\n    \"\"\"A new {top} in eval mode.\"\"\"\n    return {top}().eval()\n");
            return text.ToString();
        }

        /// <summary>The class for a group node (written once per distinct body), or the model's own.</summary>
        private string ClassOf(LayerInfo node, string preferred, bool isModel = false)
        {
            var members = node.Members().ToList();
            var init = new StringBuilder();
            foreach (var member in members)
            {
                var reference = Reference(member.Name);
                if (IsParentParameter(member))
                {
                    init.Append(CultureInfo.InvariantCulture, $"        {Assign(member.Name, PythonLayers.ParentParameter(member, "x", reference).Initial, parameter: true)}\n");
                }
                else
                {
                    init.Append(CultureInfo.InvariantCulture, $"        {Assign(member.Name, Expression(member))}\n");
                }
            }

            var forward = new StringBuilder();
            temporaries = 0;
            var body = node.Kind == NodeKind.Merge ? new[] { node with { Transparent = true } } : (IReadOnlyList<LayerInfo>)node.Children;
            var result = Sequence(forward, body, "x", "x", "        ");
            forward.Append(CultureInfo.InvariantCulture, $"        return {result}\n");

            var parentClass = members.Any(m => !IsIdentifier(m.Name)) ? "Block" : "nn.Module";
            var source = new StringBuilder();
            source.Append("class @NAME@(").Append(parentClass).Append("):\n");
            source.Append(CultureInfo.InvariantCulture, $"    \"\"\"{Describe(node, isModel)}\"\"\"\n\n");
            source.Append("    def __init__(self):\n        super().__init__()\n");
            source.Append(init.Length > 0 ? init.ToString() : "        pass\n");
            source.Append("\n    def forward(self, x, heads=None):\n");
            source.Append(CultureInfo.InvariantCulture, $"        # x: N x {node.Input}\n");
            source.Append(forward);
            if (isModel)
            {
                source.Append("\n    def forward_with_auxiliary(self, x):\n        \"\"\"The output and each training-only head's, in forward order.\"\"\"\n")
                    .Append("        heads = []\n        return self.forward(x, heads), heads\n");
            }

            var key = source.ToString();
            if (!isModel && classByBody.TryGetValue(key, out var existing)) return existing;
            var name = preferred;
            for (var i = 2; !classNames.Add(name) || Reserved.Contains(name); i++) name = preferred + i.ToString(CultureInfo.InvariantCulture);
            classByBody[key] = name;
            classes.Add(key.Replace("@NAME@", name));
            return name;
        }

        private string Expression(LayerInfo member)
        {
            if (!member.IsGroup)
            {
                var (expression, needs) = PythonLayers.Module(member, weights);
                if (needs is not null) support.Add(needs);
                return expression;
            }

            if (IsSequential(member))
            {
                var items = member.Members().Select(m => "            " + Expression(m) + ",");
                return "nn.Sequential(\n" + string.Join("\n", items) + "\n        )";
            }

            return ClassOf(member, PythonName(member.BlockName ?? member.Name)) + "()";
        }

        /// <summary>Numbered members 0, 1, ... run one after the other, none a parameter-only layer
        /// or an auxiliary head: torch's nn.Sequential registers and runs exactly that.</summary>
        private static bool IsSequential(LayerInfo node)
        {
            if (node.Kind != NodeKind.Group) return false;
            var members = node.Members().ToList();
            return members.Count > 0 && members.Count == node.Children.Count
                && members.Select((m, i) => m.Name == i.ToString(CultureInfo.InvariantCulture) && ReferenceEquals(m, node.Children[i])).All(b => b)
                && members.All(m => m.Kind is NodeKind.Layer or NodeKind.Group && !IsParentParameter(m));
        }

        /// <summary>Writes the statements of a run of nodes applied to <paramref name="input"/>;
        /// returns the variable holding the result.</summary>
        private string Sequence(StringBuilder o, IEnumerable<LayerInfo> nodes, string input, string target, string indent)
        {
            var x = input;
            foreach (var node in nodes)
            {
                x = Node(o, node, x, target, indent);
            }

            return x;
        }

        private string Node(StringBuilder o, LayerInfo node, string x, string target, string indent)
        {
            if (!node.Transparent && node.Kind == NodeKind.Auxiliary)
            {
                o.Append(CultureInfo.InvariantCulture, $"{indent}if heads is not None:\n{indent}    heads.append({Reference(node.Name)}({x}))  # training-only head: N x {node.Output}\n");
                return x;
            }

            if (node.Kind == NodeKind.Layer && IsParentParameter(node))
            {
                var apply = PythonLayers.ParentParameter(node, x, Reference(node.Name)).Apply;
                o.Append(CultureInfo.InvariantCulture, $"{indent}{target} = {apply}  # {node.Output}\n");
                return target;
            }

            if (node.Kind == NodeKind.Layer || !node.Transparent)
            {
                var call = node.IsGroup && !IsSequential(node) ? $"{Reference(node.Name)}({x}, heads)" : $"{Reference(node.Name)}({x})";
                o.Append(CultureInfo.InvariantCulture, $"{indent}{target} = {call}  # {node.Output}\n");
                return target;
            }

            switch (node.Kind)
            {
                case NodeKind.Group:
                    return Sequence(o, node.Children, x, target, indent);
                case NodeKind.Auxiliary:
                    var head = Fresh("head");
                    o.Append(CultureInfo.InvariantCulture, $"{indent}if heads is not None:  # training-only head\n");
                    Head(o, node, x, head, indent + "    ");
                    return x;
                case NodeKind.Merge:
                    var parts = new List<string>();
                    var inputs = node.Structure!.Inputs;
                    var ranges = inputs.Channels(node.Input, node.Branches.Count);
                    for (var i = 0; i < node.Branches.Count; i++)
                    {
                        var branchInput = x;
                        if (!inputs.IsShared)
                        {
                            // One of torch.chunk's pieces: channels [start, start + length).
                            branchInput = Fresh("chunk");
                            o.Append(CultureInfo.InvariantCulture, $"{indent}{branchInput} = {x}[:, {ranges[i].Start}:{ranges[i].Start + ranges[i].Length}]\n");
                        }

                        var branch = node.Branches[i];
                        parts.Add(branch.Count == 0 ? branchInput : Sequence(o, branch, branchInput, Fresh("branch"), indent));
                    }

                    var joined = node.Structure!.Merge switch
                    {
                        ConcatMerge => $"torch.cat([{string.Join(", ", parts)}], 1)",
                        AddMerge => string.Join(" + ", parts),
                        MultiplyMerge => string.Join(" * ", parts),
                        var merge => throw new ExportException(
                            $"PyTorch export does not know the merge `{merge.Name}` ({merge.GetType().Name}) of `{node.Structure.Name}` at `{node.Path}`: teach Export/PyTorch/PyTorchExporter.cs"),
                    };
                    o.Append(CultureInfo.InvariantCulture, $"{indent}{target} = {joined}  # {node.Structure.Name}: {node.Output}\n");
                    return target;
                default:
                    throw new ExportException($"PyTorch export does not know the node kind {node.Kind} at `{node.Path}`");
            }
        }

        private void Head(StringBuilder o, LayerInfo node, string x, string head, string indent)
        {
            var result = Sequence(o, node.Children, x, head, indent);
            o.Append(CultureInfo.InvariantCulture, $"{indent}heads.append({result})\n");
        }

        private string Fresh(string stem) => stem + (++temporaries).ToString(CultureInfo.InvariantCulture);

        private static bool IsParentParameter(LayerInfo layer) =>
            layer.Spec?.Recipe(layer.Input).Registration == ModuleRegistration.ParentParameter;

        private static string Describe(LayerInfo node, bool isModel)
        {
            if (isModel) return "The model's network: N x input -> N x output, as in its .cnn file.";
            var what = node.BlockName is { } block ? $"Block `{block}`" : node.Structure is { } s ? $"`{s.Name}`" : "Group";
            return $"{what}: N x {node.Input} -> N x {node.Output} (first at `{node.Path}`).";
        }

        private static string Assign(string name, string expression, bool parameter = false) =>
            IsIdentifier(name) ? $"self.{name} = {expression}"
            : parameter ? $"self.register_parameter(\"{name}\", {expression})"
            : $"self.add_module(\"{name}\", {expression})";

        private static string Reference(string name) => IsIdentifier(name) ? "self." + name : $"self[\"{name}\"]";

        private static bool IsIdentifier(string name) =>
            name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(ch => char.IsLetterOrDigit(ch) || ch == '_')
            && name.All(ch => ch < 128) && !Reserved.Contains(name);

        private static string PythonName(string name)
        {
            var parts = name.Split(new[] { '_', '-', '.', ' ' }, StringSplitOptions.RemoveEmptyEntries);
            var joined = string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
            var cleaned = new string(joined.Where(ch => ch < 128 && (char.IsLetterOrDigit(ch) || ch == '_')).ToArray());
            if (cleaned.Length == 0 || char.IsDigit(cleaned[0])) cleaned = "Block" + cleaned;
            return name.Contains('_') && char.IsUpper(name[0]) ? name : cleaned;
        }
    }
}
