using System.Reflection.Metadata;

namespace Supervision.Architecture.Tests;

/// <summary>
/// A type as the layer rules see it: the namespace of its outermost declaring type (so that an
/// async state machine or a lambda closure counts where the method that made it lives) and its
/// full name, nested types joined with dots.
/// </summary>
public sealed record CompiledType(string Namespace, string FullName)
{
    public override string ToString() => FullName;
}

/// <summary>One use of a type in compiled code: the type and member that use it, and the type used.</summary>
public sealed record TypeReference(CompiledType Source, string Member, CompiledType Target)
{
    /// <summary>Reads as "Type.Member -> Target"; type-level uses read as "Type (base type) -> Target".</summary>
    public override string ToString() =>
        Member.StartsWith('(') ? $"{Source} {Member} -> {Target}" : $"{Source}.{Member} -> {Target}";
}

/// <summary>What one assembly holds: its types and every use of a type found in it.</summary>
public sealed record CompiledAssembly(string Name, IReadOnlyList<CompiledType> Types, IReadOnlyList<TypeReference> References);

/// <summary>Names of type definitions and type references, attributed to their outermost type's namespace.</summary>
internal static class TypeNames
{
    public static CompiledType Of(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var path = new List<string>();
        var definition = reader.GetTypeDefinition(handle);
        while (true)
        {
            path.Add(reader.GetString(definition.Name));
            var outer = definition.GetDeclaringType();
            if (outer.IsNil)
            {
                break;
            }

            definition = reader.GetTypeDefinition(outer);
        }

        return Create(reader.GetString(definition.Namespace), path);
    }

    public static CompiledType Of(MetadataReader reader, TypeReferenceHandle handle)
    {
        var path = new List<string>();
        var reference = reader.GetTypeReference(handle);
        while (true)
        {
            path.Add(reader.GetString(reference.Name));
            if (reference.ResolutionScope.Kind != HandleKind.TypeReference)
            {
                break;
            }

            reference = reader.GetTypeReference((TypeReferenceHandle)reference.ResolutionScope);
        }

        return Create(reader.GetString(reference.Namespace), path);
    }

    /// <summary>A serialized type name from an attribute argument (typeof(X)), with its generic arguments.</summary>
    public static IEnumerable<CompiledType> FromSerializedName(string serialized)
    {
        return TypeName.TryParse(serialized, out var parsed) ? Walk(parsed) : [];

        static IEnumerable<CompiledType> Walk(TypeName name)
        {
            while (name.IsArray || name.IsPointer || name.IsByRef)
            {
                name = name.GetElementType();
            }

            if (name.IsConstructedGenericType)
            {
                foreach (var argument in name.GetGenericArguments().SelectMany(Walk))
                {
                    yield return argument;
                }

                name = name.GetGenericTypeDefinition();
            }

            var path = new List<string>();
            while (true)
            {
                // A nested name's Name is its own simple name; the outermost one's FullName carries the namespace.
                if (!name.IsNested)
                {
                    var dot = name.FullName.LastIndexOf('.');
                    path.Add(dot < 0 ? name.FullName : name.FullName[(dot + 1)..]);
                    yield return Create(dot < 0 ? "" : name.FullName[..dot], path);
                    yield break;
                }

                path.Add(name.Name);
                name = name.DeclaringType;
            }
        }
    }

    private static CompiledType Create(string @namespace, List<string> innermostFirst)
    {
        innermostFirst.Reverse();
        var nested = string.Join('.', innermostFirst);
        return new CompiledType(@namespace, @namespace.Length == 0 ? nested : $"{@namespace}.{nested}");
    }
}
