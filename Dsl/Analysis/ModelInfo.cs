using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Analysis;

/// <summary>A fully analysed model: every layer's shape, tensors and cost, and the totals.</summary>
public sealed record ModelInfo(string Name, Shape Input, LayerInfo Root, TextRange NameRange)
{
    public Shape Output => Root.Output;

    /// <summary>Trainable parameters (what <c>parameters()</c> yields).</summary>
    public long Parameters => Root.Parameters;

    /// <summary>Trainable parameters of training-only heads (GoogLeNet's auxiliary classifiers),
    /// counted apart from <see cref="Parameters"/>.</summary>
    public long AuxiliaryParameters => Root.AuxiliaryParameters;

    /// <summary>Elements of saved, untrained state: batch norm running statistics and the like.</summary>
    public long Buffers => Root.Buffers;

    /// <summary>Multiply-accumulates of the convolutions and linear layers for one sample.</summary>
    public long MultiplyAdds => Root.MultiplyAdds;

    /// <summary>The layers that compute (no groups or merges), in forward order, auxiliary heads included.</summary>
    public IReadOnlyList<LayerInfo> Layers => Root.DescendantsAndSelf().Where(l => !l.IsGroup).ToList();

    /// <summary>Every tensor of the model under its <c>state_dict</c> key, in PyTorch's order: a
    /// module's own parameters (those of its parameter-only layers, such as ConvNeXt's
    /// <c>layer_scale</c>) first, then its members' tensors in registration order.</summary>
    public IEnumerable<(string Key, TensorSpec Tensor)> StateDict() => ModuleTensors(Root);

    private static IEnumerable<(string Key, TensorSpec Tensor)> ModuleTensors(LayerInfo module)
    {
        var members = module.Members().ToList();
        foreach (var member in members.Where(OwnedByParent).Concat(members.Where(m => !OwnedByParent(m))))
        {
            var tensors = member.IsGroup
                ? ModuleTensors(member)
                : member.Tensors.Select(t => (t.KeyAt(member.Path), t));
            foreach (var entry in tensors) yield return entry;
        }
    }

    private static bool OwnedByParent(LayerInfo member) =>
        member.Spec?.Recipe(member.Input).Registration == ModuleRegistration.ParentParameter;
}
