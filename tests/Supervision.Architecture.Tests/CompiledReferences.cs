using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Supervision.Architecture.Tests;

/// <summary>
/// Every use of a named type in one compiled assembly, read from its metadata and IL with
/// System.Reflection.Metadata: base types, interfaces, attributes (typeof arguments included),
/// generic constraints, field, property and event types, method signatures, locals, catch clauses,
/// and each token in every method body (calls, newobj, ldtoken, field access, casts, box,
/// initobj, ...), with TypeSpecs, MemberRefs and MethodSpecs decoded down to their generic
/// arguments, so that <c>GetRequiredService&lt;T&gt;()</c> names T. Compiler-generated types
/// (async state machines, lambda closures) are ordinary nested types here, attributed to the
/// namespace of the type that declares them.
/// Why besides ArchUnitNET: it names each use's member, not only its type; and ArchUnitNET 0.13.5
/// does not see a type named only in a catch clause (see the PlantedCatch fixture).
/// </summary>
public static class CompiledReferences
{
    public static CompiledAssembly Read(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return new Scan(pe).Run();
    }

    private sealed class Scan(PEReader pe)
    {
        private readonly MetadataReader reader = pe.GetMetadataReader();
        private readonly HashSet<TypeReference> found = [];
        private AttributeTypes? attributeTypes;

        private AttributeTypes AttributeTypes => attributeTypes ??= new AttributeTypes(reader);

        public CompiledAssembly Run()
        {
            var types = new List<CompiledType>();
            foreach (var handle in reader.TypeDefinitions)
            {
                var source = TypeNames.Of(reader, handle);
                types.Add(source);
                ReadType(source, reader.GetTypeDefinition(handle));
            }

            var name = reader.GetString(reader.GetAssemblyDefinition().Name);
            return new CompiledAssembly(name, types, [.. found.OrderBy(r => r.ToString(), StringComparer.Ordinal)]);
        }

        private void ReadType(CompiledType source, TypeDefinition type)
        {
            Add(source, "(base type)", TypesOf(type.BaseType));
            foreach (var implementation in type.GetInterfaceImplementations())
            {
                Add(source, "(interface)", TypesOf(reader.GetInterfaceImplementation(implementation).Interface));
            }

            Attributes(source, "(attribute)", type.GetCustomAttributes());
            Constraints(source, "(generic constraint)", type.GetGenericParameters());

            foreach (var handle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(handle);
                var member = reader.GetString(field.Name);
                Add(source, member, field.DecodeSignature(SignatureTypes.Instance, null));
                Attributes(source, member, field.GetCustomAttributes());
            }

            foreach (var handle in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(handle);
                var member = reader.GetString(property.Name);
                var signature = property.DecodeSignature(SignatureTypes.Instance, null);
                Add(source, member, [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)]);
                Attributes(source, member, property.GetCustomAttributes());
            }

            foreach (var handle in type.GetEvents())
            {
                var @event = reader.GetEventDefinition(handle);
                var member = reader.GetString(@event.Name);
                Add(source, member, TypesOf(@event.Type));
                Attributes(source, member, @event.GetCustomAttributes());
            }

            foreach (var handle in type.GetMethods())
            {
                ReadMethod(source, reader.GetMethodDefinition(handle));
            }
        }

        private void ReadMethod(CompiledType source, MethodDefinition method)
        {
            var member = reader.GetString(method.Name);
            var signature = method.DecodeSignature(SignatureTypes.Instance, null);
            Add(source, member, [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)]);
            Attributes(source, member, method.GetCustomAttributes());
            Constraints(source, member, method.GetGenericParameters());
            foreach (var parameter in method.GetParameters())
            {
                Attributes(source, member, reader.GetParameter(parameter).GetCustomAttributes());
            }

            if (method.RelativeVirtualAddress == 0)
            {
                return; // abstract, extern or an interface member: no body
            }

            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                Add(source, member, TypesOf(body.LocalSignature));
            }

            foreach (var region in body.ExceptionRegions)
            {
                Add(source, member, TypesOf(region.CatchType));
            }

            List<EntityHandle> tokens;
            try
            {
                tokens = IlTokens.Read(body.GetILContent().AsSpan());
            }
            catch (BadImageFormatException e)
            {
                throw new BadImageFormatException($"{source}.{member}: {e.Message}", e);
            }

            foreach (var token in tokens)
            {
                Add(source, member, TypesOf(token));
            }
        }

        private void Constraints(CompiledType source, string member, GenericParameterHandleCollection parameters)
        {
            foreach (var parameter in parameters.Select(reader.GetGenericParameter))
            {
                foreach (var constraint in parameter.GetConstraints())
                {
                    Add(source, member, TypesOf(reader.GetGenericParameterConstraint(constraint).Type));
                }
            }
        }

        private void Attributes(CompiledType source, string member, CustomAttributeHandleCollection attributes)
        {
            foreach (var attribute in attributes.Select(reader.GetCustomAttribute))
            {
                Add(source, member, TypesOf(attribute.Constructor));
                Add(source, member, [.. TypeArguments(attribute)]);
            }
        }

        private IEnumerable<CompiledType> TypeArguments(CustomAttribute attribute)
        {
            CustomAttributeValue<string> value;
            try
            {
                value = attribute.DecodeValue(AttributeTypes);
            }
            catch (NotSupportedException)
            {
                // An enum argument whose type cannot be loaded: its bytes cannot be stepped over, so the
                // typeof arguments of this one attribute are not read. Its own type was recorded above.
                return [];
            }

            var named = value.NamedArguments.Select(n => new CustomAttributeTypedArgument<string>(n.Type, n.Value));
            return value.FixedArguments.Concat(named).SelectMany(Flatten).SelectMany(TypeNames.FromSerializedName);
        }

        private static IEnumerable<string> Flatten(CustomAttributeTypedArgument<string> argument) => argument.Value switch
        {
            ImmutableArray<CustomAttributeTypedArgument<string>> items => items.SelectMany(Flatten),
            string name when AttributeTypes.IsTypeArgument(argument) => [name],
            _ => [],
        };

        /// <summary>The types a metadata handle names: a type, or a member with its declaring type and signature.</summary>
        private ImmutableArray<CompiledType> TypesOf(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return []; // no base type (an interface, <Module>), a catch-all region
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return [TypeNames.Of(reader, (TypeDefinitionHandle)handle)];
                case HandleKind.TypeReference:
                    return [TypeNames.Of(reader, (TypeReferenceHandle)handle)];
                case HandleKind.TypeSpecification:
                    return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(SignatureTypes.Instance, null);
                case HandleKind.MethodDefinition:
                {
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    var signature = method.DecodeSignature(SignatureTypes.Instance, null);
                    return [.. TypesOf(method.GetDeclaringType()), .. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];
                }

                case HandleKind.FieldDefinition:
                {
                    var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    return [.. TypesOf(field.GetDeclaringType()), .. field.DecodeSignature(SignatureTypes.Instance, null)];
                }

                case HandleKind.MemberReference:
                {
                    var reference = reader.GetMemberReference((MemberReferenceHandle)handle);
                    if (reference.GetKind() == MemberReferenceKind.Field)
                    {
                        return [.. TypesOf(reference.Parent), .. reference.DecodeFieldSignature(SignatureTypes.Instance, null)];
                    }

                    var signature = reference.DecodeMethodSignature(SignatureTypes.Instance, null);
                    return [.. TypesOf(reference.Parent), .. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];
                }

                case HandleKind.MethodSpecification:
                {
                    // A generic method instantiation: GetRequiredService<T>() names T only here.
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    var arguments = specification.DecodeSignature(SignatureTypes.Instance, null);
                    return [.. TypesOf(specification.Method), .. arguments.SelectMany(a => a)];
                }

                case HandleKind.StandaloneSignature:
                {
                    var standalone = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (standalone.GetKind() == StandaloneSignatureKind.LocalVariables)
                    {
                        return [.. standalone.DecodeLocalSignature(SignatureTypes.Instance, null).SelectMany(l => l)];
                    }

                    var signature = standalone.DecodeMethodSignature(SignatureTypes.Instance, null);
                    return [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];
                }

                default:
                    return []; // a module or an assembly
            }
        }

        private void Add(CompiledType source, string member, ImmutableArray<CompiledType> targets)
        {
            foreach (var target in targets)
            {
                found.Add(new TypeReference(source, member, target));
            }
        }
    }
}

/// <summary>The metadata tokens in one method body's IL, read instruction by instruction.</summary>
internal static class IlTokens
{
    private static readonly Dictionary<int, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => (int)unchecked((ushort)code.Value), code => code.OperandType);

    public static List<EntityHandle> Read(ReadOnlySpan<byte> il)
    {
        var tokens = new List<EntityHandle>();
        var at = 0;
        while (at < il.Length)
        {
            var start = at;
            int code = il[at++];
            if (code == 0xFE)
            {
                code = 0xFE00 | il[at++];
            }

            if (!Operands.TryGetValue(code, out var operand))
            {
                throw new BadImageFormatException($"unknown IL opcode 0x{code:X} at offset {start}");
            }

            if (operand is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok
                or OperandType.InlineType or OperandType.InlineSig)
            {
                tokens.Add(MetadataTokens.EntityHandle(BinaryPrimitives.ReadInt32LittleEndian(il[at..])));
            }

            at += operand switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineSwitch => 4 + (4 * BinaryPrimitives.ReadInt32LittleEndian(il[at..])),
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR or OperandType.InlineString
                    or OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok
                    or OperandType.InlineType or OperandType.InlineSig => 4,
                _ => throw new BadImageFormatException($"IL operand {operand} is not expected in a method body"),
            };
        }

        return tokens;
    }
}
