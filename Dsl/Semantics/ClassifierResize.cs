using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Syntax;

namespace CnnDsl.Dsl.Semantics;

/// <summary>Gives a model another number of classes without editing its file (a tool's
/// <c>--classes</c>): the model's body must call a network or block of the same file that takes a
/// parameter named <c>classes</c>, as torchvision's constructors take <c>num_classes</c>; the call
/// is rewritten with <c>classes: N</c>, so the classifier is built at N outputs by the same rules
/// as the rest of the model.</summary>
public static class ClassifierResize
{
    /// <summary>The parameter a network names its class count with.</summary>
    public const string Parameter = "classes";

    /// <summary>The file with <paramref name="model"/>'s call given <c>classes: N</c>, or why it
    /// cannot be (a sentence naming the model, for a tool's usage error).</summary>
    public static (SourceFileSyntax? Syntax, string? Problem) Apply(SourceFileSyntax syntax, string model, long classes)
    {
        var count = classes.ToString(CultureInfo.InvariantCulture);
        var declaration = syntax.Declarations.OfType<ModelDeclaration>().FirstOrDefault(m => m.Name.Name == model);
        if (declaration is null) return (null, $"this file has no model `{model}`");

        var fix = $"end the model with linear({count}) in its file, or write it as a call of a network with a `{Parameter}` parameter";
        if (declaration.Body is not CallExpression call)
            return (null, $"{model} is not a call of a network, so its number of classes is written in its layers; {fix}");

        var callee = syntax.Declarations.LastOrDefault(d => d.Name.Name == call.Callee.Name);
        var parameters = callee switch
        {
            NetworkDeclaration network => network.Parameters,
            BlockDeclaration block => block.Parameters,
            _ => null,
        };
        if (parameters is null)
            return (null, $"{model} calls `{call.Callee.Name}`, which is not a network or block of this file (an imported one cannot be resized here); {fix}");

        var position = parameters.ToList().FindIndex(p => p.Name.Name == Parameter);
        if (position < 0)
            return (null, $"{model} calls `{call.Callee.Name}`, which has no `{Parameter}` parameter; {fix}");

        var value = new IntegerLiteral(classes, call.Callee.Range);
        var arguments = new List<Argument>();
        var positional = 0;
        var replaced = false;
        foreach (var argument in call.Arguments)
        {
            var isClasses = argument.Name is null ? positional++ == position : argument.Name.Name == Parameter;
            if (isClasses)
            {
                arguments.Add(argument with { Value = value with { Range = argument.Value.Range } });
                replaced = true;
            }
            else
            {
                arguments.Add(argument);
            }
        }

        if (!replaced) arguments.Add(new Argument(new Identifier(Parameter, call.Callee.Range), value, call.Callee.Range));
        var rewritten = declaration with { Body = call with { Arguments = arguments } };
        var declarations = syntax.Declarations.Select(d => ReferenceEquals(d, declaration) ? rewritten : d).ToList();
        return (syntax with { Declarations = declarations }, null);
    }
}
