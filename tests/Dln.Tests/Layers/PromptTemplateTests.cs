using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Layers;

public class PromptTemplateTests
{
    private static readonly string[] PromptAndInput = [LayerTemplates.PromptPlaceholder, LayerTemplates.InputPlaceholder];

    [Fact]
    public void Render_inserts_values_in_place_of_placeholders()
    {
        var template = new PromptTemplate("Q: {input}\nHint: {prompt}\nA:", PromptAndInput);

        var text = template.Render(("prompt", "think"), ("input", "2+2?"));

        Assert.Equal("Q: 2+2?\nHint: think\nA:", text);
    }

    [Fact]
    public void Placeholders_are_listed_once_in_order_of_first_appearance()
    {
        var template = new PromptTemplate("{input} {prompt} {input}", PromptAndInput);

        Assert.Equal(["input", "prompt"], template.Placeholders);
        Assert.Equal("x p x", template.Render(("prompt", "p"), ("input", "x")));
    }

    [Fact]
    public void Render_trims_both_ends_so_an_empty_prompt_leaves_no_leading_blank_lines()
    {
        var rendered = LayerTemplates.Output.Render(("prompt", string.Empty), ("input", "  Is the sky blue?"));

        Assert.Equal("Is the sky blue?\n\nAnswer:", rendered);
    }

    [Fact]
    public void Render_keeps_inner_whitespace()
    {
        var template = new PromptTemplate("  {prompt}\n\n\n{input}  \n", PromptAndInput);

        Assert.Equal("p\n\n\nx", template.Render(("prompt", "p"), ("input", "x")));
    }

    [Fact]
    public void Doubled_braces_render_as_literal_braces()
    {
        var template = new PromptTemplate("{{\"q\": \"{input}\"}} {{prompt}} {prompt}", PromptAndInput);

        Assert.Equal(["input", "prompt"], template.Placeholders);
        Assert.Equal("{\"q\": \"x\"} {prompt} P", template.Render(("prompt", "P"), ("input", "x")));
    }

    [Fact]
    public void Triple_braces_are_a_literal_brace_around_a_placeholder()
    {
        var template = new PromptTemplate("{{{input}}}", [LayerTemplates.InputPlaceholder]);

        Assert.Equal("{x}", template.Render(("input", "x")));
    }

    [Fact]
    public void Unknown_placeholder_is_named_in_the_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PromptTemplate("{prompt} {inptu} {input}", PromptAndInput));

        Assert.Equal("text", ex.ParamName);
        Assert.Contains("unknown placeholder", ex.Message);
        Assert.Contains("{inptu}", ex.Message);
    }

    [Fact]
    public void Optional_placeholders_are_allowed_but_not_required()
    {
        var withHidden = new PromptTemplate("{prompt} {input} {hidden}", PromptAndInput, ["hidden"]);
        var withoutHidden = new PromptTemplate("{prompt} {input}", PromptAndInput, ["hidden"]);

        Assert.Contains("hidden", withHidden.Placeholders);
        Assert.DoesNotContain("hidden", withoutHidden.Placeholders);
        Assert.Equal(["hidden"], withoutHidden.OptionalPlaceholders);
    }

    [Fact]
    public void Missing_required_placeholder_is_named_in_the_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PromptTemplate("Only {input} here", PromptAndInput));

        Assert.Contains("missing required placeholder", ex.Message);
        Assert.Contains("{prompt}", ex.Message);
        Assert.DoesNotContain("{input}", ex.Message.Split("Template:")[0]);
    }

    [Fact]
    public void Unknown_and_missing_placeholders_are_both_reported()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PromptTemplate("{promt} {input}", PromptAndInput));

        Assert.Contains("{promt}", ex.Message);
        Assert.Contains("missing required placeholder(s) {prompt}", ex.Message);
    }

    [Theory]
    [InlineData("{prompt} {input} {", 17)]
    [InlineData("{prompt} { input}", 9)]
    [InlineData("{} {prompt} {input}", 0)]
    [InlineData("{prompt} {input} {1x}", 17)]
    public void Unclosed_or_malformed_opening_brace_reports_its_position(string text, int position)
    {
        var ex = Assert.Throws<ArgumentException>(() => new PromptTemplate(text, PromptAndInput));

        Assert.Contains($"'{{' at position {position}", ex.Message);
        Assert.Contains("{{", ex.Message); // tells how to write a literal brace
    }

    [Theory]
    [InlineData("{prompt} } {input}", 9)]
    [InlineData("{prompt} {input}}", 16)]
    [InlineData("{prompt} {{input}", 16)]
    public void Unmatched_closing_brace_reports_its_position(string text, int position)
    {
        var ex = Assert.Throws<ArgumentException>(() => new PromptTemplate(text, PromptAndInput));

        Assert.Contains($"unmatched '}}' at position {position}", ex.Message);
    }

    [Fact]
    public void Render_without_a_value_for_a_placeholder_names_it()
    {
        var template = new PromptTemplate("{prompt} {input}", PromptAndInput);

        var ex = Assert.Throws<ArgumentException>(() => template.Render(("prompt", "p")));

        Assert.Contains("{input}", ex.Message);
    }

    [Fact]
    public void Render_ignores_extra_values()
    {
        var template = new PromptTemplate("{prompt} {input}", PromptAndInput);

        Assert.Equal("p x", template.Render(("prompt", "p"), ("input", "x"), ("hidden", "h")));
    }

    [Theory]
    [InlineData("{input}")]
    [InlineData("{{x}}")]
    [InlineData("}")]
    [InlineData("{")]
    [InlineData("{prompt}{{input}}}{")]
    public void Values_containing_braces_are_inserted_literally(string value)
    {
        var template = new PromptTemplate("[{prompt}] [{input}]", PromptAndInput);

        Assert.Equal($"[{value}] [x]", template.Render(("prompt", value), ("input", "x")));
        Assert.Equal($"[p] [{value}]", template.Render(("prompt", "p"), ("input", value)));
    }

    [Fact]
    public void A_value_equal_to_another_placeholders_name_is_not_substituted()
    {
        var template = new PromptTemplate("{prompt}|{input}", PromptAndInput);

        Assert.Equal("input|prompt", template.Render(("prompt", "input"), ("input", "prompt")));
        Assert.Equal("{input}|{prompt}", template.Render(("prompt", "{input}"), ("input", "{prompt}")));
    }

    [Fact]
    public async Task Braces_in_prompts_and_inputs_survive_two_layers_without_re_expansion()
    {
        // Layer 1 echoes its whole context, so layer 2's input is a rendered template that contains braces; if any
        // render step re-expanded its values, "{input}" would be replaced and the checks below would fail.
        var model = new ScriptedLanguageModel().Generates(prompt => prompt);
        var network = Dln.CreateTwoLayer(model, hiddenPrompt: "Use {input} and {{x}} }", outputPrompt: "Answer {prompt} {", OutputSpace.FreeText());

        var result = await network.InvokeAsync("What is {hidden}? {input}");

        Assert.Equal(
            "What is {hidden}? {input}\n\nUse {input} and {{x}} } Let us reason about it one step at a time.",
            model.Generations[0].Prompt);
        var hidden = Assert.Single(result.HiddenOutputs);
        Assert.Equal("What is {hidden}? {input}\nUse {input} and {{x}} } Let us reason about it one step at a time.", hidden); // blank line collapsed
        Assert.Equal(
            "Answer {prompt} {\n\nWhat is {hidden}? {input}\nMy reasoning about it:\n" + hidden + "\n\nAnswer:",
            model.Generations[1].Prompt);
    }

    [Fact]
    public void Templates_with_the_same_text_and_placeholders_are_equal()
    {
        var a = new PromptTemplate("{prompt} {input}", PromptAndInput);
        var b = new PromptTemplate("{prompt} {input}", PromptAndInput);
        var c = new PromptTemplate("{prompt}  {input}", PromptAndInput);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal("{prompt} {input}", a.ToString());
    }

    [Fact]
    public void Default_templates_have_the_method_spec_structure()
    {
        // §1.4: output = π ⏎⏎ x ⏎⏎ CUE; hidden = x ⏎⏎ π ␠ TRIGGER; residual = x ⏎ HEADER ⏎ h.
        var output = LayerTemplates.Output.Render(("prompt", "P"), ("input", "X"));
        var hidden = LayerTemplates.Hidden.Render(("prompt", "P"), ("input", "X"));
        var residual = LayerTemplates.Residual.Render(("input", "X"), ("hidden", "H"));

        Assert.StartsWith("P\n\nX\n\n", output);
        Assert.EndsWith(":", output);
        Assert.DoesNotContain("\n", output[("P\n\nX\n\n".Length)..]);
        Assert.StartsWith("X\n\nP ", hidden);
        Assert.DoesNotContain("\n", hidden[("X\n\n".Length)..]);
        var lines = residual.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("X", lines[0]);
        Assert.Equal("H", lines[2]);
    }
}
