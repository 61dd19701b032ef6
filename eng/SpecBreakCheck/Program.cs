using System.CommandLine;
using SpecBreakCheck;

var baseline = new Option<string>("--baseline")
{
    Description = "The last released spec.",
    DefaultValueFactory = _ => "openapi/released/billing-imports.yaml",
};
var spec = new Option<string>("--spec")
{
    Description = "The spec under review.",
    DefaultValueFactory = _ => "openapi/billing-imports.yaml",
};
var acknowledged = new Option<string>("--acknowledged")
{
    Description = "The breaks the next release accepts, each with its reason.",
    DefaultValueFactory = _ => "openapi/acknowledged-breaks.yaml",
};
var root = new RootCommand("Fails when the spec breaks clients of its last released version on the wire, unless each break is acknowledged.")
{
    baseline,
    spec,
    acknowledged,
};
root.SetAction(parse => BreakCheck.Run(parse.GetValue(baseline)!, parse.GetValue(spec)!, parse.GetValue(acknowledged)!, Console.Out));
return root.Parse(args).Invoke();
