using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Supervision.Architecture.Tests;

/// <summary>
/// Decodes a signature blob (a field, a method, locals, a TypeSpec, a MethodSpec's instantiation)
/// into every named type it mentions, generic arguments included: <c>Task&lt;List&lt;X&gt;&gt;</c>
/// gives Task`1, List`1 and X.
/// </summary>
internal sealed class SignatureTypes : ISignatureTypeProvider<ImmutableArray<CompiledType>, object?>
{
    public static SignatureTypes Instance { get; } = new();

    public ImmutableArray<CompiledType> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        [TypeNames.Of(reader, handle)];

    public ImmutableArray<CompiledType> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
        [TypeNames.Of(reader, handle)];

    public ImmutableArray<CompiledType> GetTypeFromSpecification(
        MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public ImmutableArray<CompiledType> GetGenericInstantiation(
        ImmutableArray<CompiledType> genericType, ImmutableArray<ImmutableArray<CompiledType>> typeArguments) =>
        [.. genericType, .. typeArguments.SelectMany(a => a)];

    public ImmutableArray<CompiledType> GetFunctionPointerType(MethodSignature<ImmutableArray<CompiledType>> signature) =>
        [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];

    public ImmutableArray<CompiledType> GetModifiedType(
        ImmutableArray<CompiledType> modifier, ImmutableArray<CompiledType> unmodifiedType, bool isRequired) =>
        [.. modifier, .. unmodifiedType];

    public ImmutableArray<CompiledType> GetArrayType(ImmutableArray<CompiledType> elementType, ArrayShape shape) => elementType;

    public ImmutableArray<CompiledType> GetSZArrayType(ImmutableArray<CompiledType> elementType) => elementType;

    public ImmutableArray<CompiledType> GetByReferenceType(ImmutableArray<CompiledType> elementType) => elementType;

    public ImmutableArray<CompiledType> GetPointerType(ImmutableArray<CompiledType> elementType) => elementType;

    public ImmutableArray<CompiledType> GetPinnedType(ImmutableArray<CompiledType> elementType) => elementType;

    // Type parameters and primitives name no type of any layer.
    public ImmutableArray<CompiledType> GetGenericMethodParameter(object? genericContext, int index) => [];

    public ImmutableArray<CompiledType> GetGenericTypeParameter(object? genericContext, int index) => [];

    public ImmutableArray<CompiledType> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
}

/// <summary>
/// Reads attribute arguments far enough to find <c>typeof(X)</c> among them. Types are named as the
/// runtime would (<c>Namespace.Outer+Inner, Assembly</c>) so that an enum argument's underlying type
/// can be looked up in the test process, where every assembly checked is loadable.
/// </summary>
internal sealed class AttributeTypes(MetadataReader reader) : ICustomAttributeTypeProvider<string>
{
    private const string SystemType = "System.Type";

    private readonly string assemblyName = reader.GetString(reader.GetAssemblyDefinition().Name);

    public static bool IsTypeArgument(CustomAttributeTypedArgument<string> argument) => IsType(argument.Type);

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

    public string GetSystemType() => SystemType;

    public bool IsSystemType(string type) => IsType(type);

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetTypeFromSerializedName(string name) => name;

    public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        var definition = metadata.GetTypeDefinition(handle);
        var outer = definition.GetDeclaringType();
        var name = metadata.GetString(definition.Name);
        return outer.IsNil
            ? Qualified(metadata.GetString(definition.Namespace), name, assemblyName)
            : GetTypeFromDefinition(metadata, outer, rawTypeKind).Replace(", ", $"+{name}, ", StringComparison.Ordinal);
    }

    public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var reference = metadata.GetTypeReference(handle);
        var name = metadata.GetString(reference.Name);
        var scope = reference.ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.TypeReference => GetTypeFromReference(metadata, (TypeReferenceHandle)scope, rawTypeKind)
                .Replace(", ", $"+{name}, ", StringComparison.Ordinal),
            HandleKind.AssemblyReference => Qualified(
                metadata.GetString(reference.Namespace),
                name,
                metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)scope).Name)),
            _ => Qualified(metadata.GetString(reference.Namespace), name, assemblyName),
        };
    }

    public PrimitiveTypeCode GetUnderlyingEnumType(string type)
    {
        var runtimeType = Type.GetType(type, throwOnError: false)
            ?? throw new NotSupportedException($"the enum {type} cannot be loaded to read its underlying type");
        return Type.GetTypeCode(Enum.GetUnderlyingType(runtimeType)) switch
        {
            TypeCode.Byte => PrimitiveTypeCode.Byte,
            TypeCode.SByte => PrimitiveTypeCode.SByte,
            TypeCode.Int16 => PrimitiveTypeCode.Int16,
            TypeCode.UInt16 => PrimitiveTypeCode.UInt16,
            TypeCode.Int32 => PrimitiveTypeCode.Int32,
            TypeCode.UInt32 => PrimitiveTypeCode.UInt32,
            TypeCode.Int64 => PrimitiveTypeCode.Int64,
            TypeCode.UInt64 => PrimitiveTypeCode.UInt64,
            var other => throw new NotSupportedException($"the enum {type} has the underlying type {other}"),
        };
    }

    // A parameter declared as System.Type names it by reference ("System.Type, System.Runtime").
    private static bool IsType(string type) => type == SystemType || type.StartsWith(SystemType + ", ", StringComparison.Ordinal);

    private static string Qualified(string @namespace, string name, string assembly) =>
        @namespace.Length == 0 ? $"{name}, {assembly}" : $"{@namespace}.{name}, {assembly}";
}
