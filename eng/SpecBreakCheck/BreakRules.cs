namespace SpecBreakCheck;

/// <summary>
/// The kinds of wire-level breaks the check reports. The ids appear in reports and in the
/// acknowledgement file, so they never change once released.
/// </summary>
internal static class BreakRules
{
    /// <summary>A path is gone (a rename shows as the old path removed).</summary>
    public const string PathRemoved = "path-removed";

    /// <summary>A method is gone from a path that still exists.</summary>
    public const string OperationRemoved = "operation-removed";

    /// <summary>An operation's operationId changed; generated clients name their methods after it.</summary>
    public const string OperationIdChanged = "operation-id-changed";

    /// <summary>A parameter clients may send is gone.</summary>
    public const string ParameterRemoved = "parameter-removed";

    /// <summary>An optional parameter became required.</summary>
    public const string ParameterBecameRequired = "parameter-became-required";

    /// <summary>A new parameter is required, so every existing call lacks it.</summary>
    public const string RequiredParameterAdded = "required-parameter-added";

    /// <summary>A parameter no longer accepts a type or format it accepted.</summary>
    public const string ParameterTypeChanged = "parameter-type-changed";

    /// <summary>A request value (parameter or body member) accepts fewer enum values than it did.</summary>
    public const string RequestEnumNarrowed = "request-enum-narrowed";

    /// <summary>A request body became required, or a required one was added.</summary>
    public const string RequestBodyBecameRequired = "request-body-became-required";

    /// <summary>A request body no longer accepts a media type it accepted.</summary>
    public const string RequestMediaTypeRemoved = "request-media-type-removed";

    /// <summary>A request body member no longer accepts a type or format it accepted.</summary>
    public const string RequestMemberTypeChanged = "request-member-type-changed";

    /// <summary>A request body member became required, or a required one was added.</summary>
    public const string RequestMemberBecameRequired = "request-member-became-required";

    /// <summary>A status code an operation answered with is gone.</summary>
    public const string ResponseStatusRemoved = "response-status-removed";

    /// <summary>A success response no longer comes in a media type it came in.</summary>
    public const string ResponseMediaTypeRemoved = "response-media-type-removed";

    /// <summary>A response member clients read is gone.</summary>
    public const string ResponseMemberRemoved = "response-member-removed";

    /// <summary>A response member may now carry a type or format it never carried.</summary>
    public const string ResponseMemberTypeChanged = "response-member-type-changed";

    /// <summary>A response member that was always present may now be absent.</summary>
    public const string ResponseMemberBecameOptional = "response-member-became-optional";

    /// <summary>A response member that was never null may now be null.</summary>
    public const string ResponseMemberBecameNullable = "response-member-became-nullable";

    /// <summary>A closed response enum gained a value (or stopped being closed); strict clients reject it.</summary>
    public const string ResponseEnumWidened = "response-enum-widened";

    /// <summary>A documented value of an open string (<c>x-extensible-enum</c>) is gone.</summary>
    public const string ExtensibleEnumValueRemoved = "extensible-enum-value-removed";

    /// <summary>A server an operation was reachable on is gone.</summary>
    public const string ServerRemoved = "server-removed";

    /// <summary>A server variable lost a value (a region, for instance).</summary>
    public const string ServerVariableValueRemoved = "server-variable-value-removed";

    /// <summary>An operation asks for credentials its clients do not have.</summary>
    public const string SecurityRequirementChanged = "security-requirement-changed";

    /// <summary>A security scheme changed how clients authenticate, or is gone.</summary>
    public const string SecuritySchemeChanged = "security-scheme-changed";
}
