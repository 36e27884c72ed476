"""skeletons.py OUTDIR - writes `aws <service> <command> --generate-cli-skeleton` files.

For every service model botocore ships and every operation of it, OUTDIR/<service>/<command>.json
holds the skeleton of the operation's input, as botocore.utils.ArgumentGenerator (the generator
behind the AWS CLI's --generate-cli-skeleton) makes it. Prints "<count> services, <count> files".
Exits 77 (a skipped test) when botocore cannot be imported.
"""
import json
import os
import sys

try:
    import botocore.session
    from botocore import xform_name
    from botocore.utils import ArgumentGenerator
except ImportError:
    print("skeletons.py: botocore is not installed (Debian: apt-get install python3-botocore)")
    sys.exit(77)


def main():
    out = sys.argv[1]
    session = botocore.session.get_session()
    gen = ArgumentGenerator()
    services = files = 0
    for service in session.get_available_services():
        try:
            model = session.get_service_model(service)
        except Exception as e:  # a model this botocore cannot load: say so, go on
            print("skipped service %s: %s" % (service, e), file=sys.stderr)
            continue
        services += 1
        folder = os.path.join(out, service)
        os.makedirs(folder, exist_ok=True)
        for name in model.operation_names:
            shape = model.operation_model(name).input_shape
            skeleton = gen.generate_skeleton(shape) if shape is not None else {}
            path = os.path.join(folder, xform_name(name, "-") + ".json")
            with open(path, "w") as f:
                json.dump(skeleton, f, indent=4, default=str)
                f.write("\n")
            files += 1
    print("%d services, %d files" % (services, files))


main()
