using CnnDsl.Runtime;
using Sample.Models;
using TorchSharp;

// Loads libtorch once and says clearly what is wrong if it cannot (a missing backend package,
// an old libstdc++), instead of a DllNotFoundException from the first tensor.
TorchRuntime.EnsureAvailable();

// DigitResNet exists because the build generated it from digits.cnn.
Console.WriteLine($"DigitResNet: {DigitResNet.ParameterCount} parameters, input {string.Join("x", DigitResNet.InputShape)}, output {string.Join("x", DigitResNet.OutputShape)}");
foreach (var row in DigitResNet.Summary)
{
    Console.WriteLine($"  {row.Path,-22} {row.Type}");
}

torch.manual_seed(1);
using var model = new DigitResNet();
model.eval();
using var images = torch.rand(4, 1, 28, 28);
using var logits = model.forward(images);
using var probabilities = torch.nn.functional.softmax(logits, 1);
var classes = probabilities.argmax(1).data<long>().ToArray();
Console.WriteLine($"forward: {string.Join("x", images.shape)} -> {string.Join("x", logits.shape)}, predicted classes {string.Join(" ", classes)}");
Console.WriteLine($"state_dict tensors: {model.state_dict().Count}, all logits finite: {logits.isfinite().all().item<bool>()}");
