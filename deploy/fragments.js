'use strict';

/**
 * Merges CloudFormation fragments ({ Resources, Outputs }) into one. A resource in several
 * fragments gets the properties of each; a property set twice is an error, so no fragment
 * silently overrides another.
 */
function mergeFragments(fragments) {
  const merged = { Resources: {}, Outputs: {} };
  for (const fragment of fragments) {
    for (const [id, resource] of Object.entries(fragment.Resources ?? {})) {
      const existing = merged.Resources[id];
      if (!existing) {
        merged.Resources[id] = structuredClone(resource);
        continue;
      }
      existing.Properties ??= {};
      for (const [property, value] of Object.entries(resource.Properties ?? {})) {
        if (Object.hasOwn(existing.Properties, property)) throw new Error(`Two fragments set ${id}.Properties.${property}`);
        existing.Properties[property] = structuredClone(value);
      }
      if (resource.Type && existing.Type && resource.Type !== existing.Type) throw new Error(`Two fragments give ${id} different types`);
      existing.Type ??= resource.Type;
    }
    for (const [id, output] of Object.entries(fragment.Outputs ?? {})) {
      if (Object.hasOwn(merged.Outputs, id)) throw new Error(`Two fragments define output ${id}`);
      merged.Outputs[id] = structuredClone(output);
    }
  }
  return merged;
}

module.exports = { mergeFragments };
