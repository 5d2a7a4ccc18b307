namespace CnnDsl.Dsl.Layers;

/// <summary>A layer as the author configured it, and everything any consumer needs to know about
/// it: its shape rule, its module, its cost under each counting convention, how it is drawn and
/// what may run in place. The generator, the interpreter, the summaries, the counting presets and
/// the graph all ask here; a new layer kind is one subclass, and the compiler requires each of
/// these members.</summary>
public abstract record LayerSpec
{
    /// <summary>The name the .cnn language uses: <c>conv</c>, <c>maxpool</c>, ...</summary>
    public abstract string Kind { get; }

    /// <summary>The output shape, tensors, multiply-adds and receptive-field effect for an input
    /// of this shape (C x H x W, or features), or why the layer cannot take it.</summary>
    public abstract LayerOutcome Infer(Shape input);

    /// <summary>A short rendering of the configuration, for summaries: <c>64, 3x3, stride 1</c>.</summary>
    public abstract string Describe();

    /// <summary>How to build the TorchSharp module for an input of this shape (one the layer
    /// accepts): printed as C# by the generator, invoked by the interpreter.</summary>
    public abstract ModuleRecipe Recipe(Shape input);

    /// <summary>The work for one sample under each counting convention, given the input and output
    /// shapes, the multiply-adds and the trainable parameters <see cref="Infer"/> reported.</summary>
    public abstract LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters);

    /// <summary>How <c>cnn graph</c> colours it.</summary>
    public abstract GraphFamily Family { get; }

    /// <summary>What may run in place around it.</summary>
    public abstract InPlaceRule InPlace { get; }

    /// <summary>The PyTorch/TorchSharp module this becomes, for display: <c>Conv2d</c>, ...</summary>
    public string ModuleType(Shape input) => Recipe(input).TypeName;

    /// <summary>The verdict for a layer that takes only C x H x W feature maps: on flat features
    /// CNN0032, on a channels-last map CNN0042 (permute it back first).</summary>
    protected static LayerOutcome NeedsImage(string kind, Shape input) => input.IsChannelsLast
        ? LayerOutcome.Fail(Diagnostics.DiagnosticCodes.LayoutMismatch,
            $"{kind} needs a CxHxW input but receives the channels-last tensor {input}",
            "insert `permute(0, 3, 1, 2)` before it to put the channels first again")
        : LayerOutcome.Fail(Diagnostics.DiagnosticCodes.NeedsSpatialInput,
            $"{kind} needs a CxHxW input but receives {input} features",
            "move it before flatten, or use a layer that works on features");

    protected static ModuleRecipe Torch(string type, params RecipeArgument[] arguments) => new(ModuleSource.TorchSharp, type, arguments);

    protected static ModuleRecipe Runtime(string type, params RecipeArgument[] arguments) => new(ModuleSource.Runtime, type, arguments);

    /// <summary>A Runtime module whose one parameter is registered on the module around the layer,
    /// under the layer's name (<see cref="ModuleRegistration.ParentParameter"/>).</summary>
    protected static ModuleRecipe ParentParameter(string type, params RecipeArgument[] arguments) =>
        new(ModuleSource.Runtime, type, arguments) { Registration = ModuleRegistration.ParentParameter };

    protected static RecipeArgument Positional(object value) => new(null, value);

    protected static RecipeArgument Named(string name, object value) => new(name, value);
}
