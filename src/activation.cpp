#include "sentiment/activation.h"

#include <string>

#include "sentiment/error.h"

namespace sentiment {

std::string_view ActivationName(Activation activation) {
  switch (activation) {
    case Activation::kSigmoid:
      return "sigmoid";
  }
  return "unknown";
}

Activation ParseActivation(std::string_view name) {
  if (name == "sigmoid") return Activation::kSigmoid;
  throw BadModelFile("unknown activation '" + std::string(name) + "'");
}

}  // namespace sentiment
