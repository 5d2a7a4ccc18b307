using CnnDsl.Dsl.Syntax;

namespace CnnDsl.Dsl.Semantics;

/// <summary>A block or network named without its arguments, passed as a value: ResNet's
/// <c>resnet(basic, [2, 2, 2, 2])</c> hands the block <c>basic</c> to the network, which calls it.</summary>
public sealed record BlockValue(Declaration Declaration) : Value
{
    public override string TypeName => "block";
    internal override void Write(System.Text.StringBuilder text, int limit) => text.Append(Declaration.Name.Name);
}
