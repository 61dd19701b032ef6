namespace BillingImports;

/// <summary>The record types of an import, spelled as the service sends them.</summary>
public static class RecordTypes
{
    /// <summary><c>subscription_product</c>: products (the documented API version).</summary>
    public const string Product = "subscription_product";

    /// <summary><c>subscription_plan</c>: plans (the documented API version).</summary>
    public const string Plan = "subscription_plan";

    /// <summary><c>subscription_subscriber</c>: subscribers.</summary>
    public const string Subscriber = "subscription_subscriber";

    /// <summary><c>subscription_offering</c>: offerings (later API versions).</summary>
    public const string Offering = "subscription_offering";

    /// <summary><c>subscription</c>: subscriptions (later API versions).</summary>
    public const string Subscription = "subscription";

    /// <summary><c>subscription_feature</c>: features (the newest API version).</summary>
    public const string Feature = "subscription_feature";
}
